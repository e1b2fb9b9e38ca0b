from tests.api.conftest import api  # noqa: F401  (shared fixtures)
from tests.store.conftest import store_engine  # noqa: F401
from tests.workflows.conftest import case_settings, dev_env, dev_stack, stack, ts_env  # noqa: F401
