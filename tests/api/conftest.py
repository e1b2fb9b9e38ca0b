from tests.workflows.conftest import case_settings, dev_env, dev_stack  # noqa: F401  (shared fixtures)
