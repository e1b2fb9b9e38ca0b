from tests.workflows.conftest import case_settings, dev_env  # noqa: F401  (shared fixtures)
