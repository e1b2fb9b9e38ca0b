from tests.workflows.conftest import case_settings  # noqa: F401  (shared fixture)
