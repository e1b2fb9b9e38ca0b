"""Fuzz the API from its own OpenAPI document (schemathesis): inputs that fit the schema
and inputs that break it, for every operation, with no token, the city's and the case
officer's, against the app served by uvicorn on 127.0.0.1 with the real dev server and
every tier's worker. The promise: no 5xx and no hang, whatever a caller sends.

Half of the case operations are aimed at a real open case, so bodies reach the workflow's
validators instead of stopping at "no such case". Bounded: a fixed number of examples per
operation, a timeout per request, no example database written.
"""

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
import requests
import schemathesis
import uvicorn
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from hypothesis import strategies as st

from api.app import create_app
from models.auth import bearer
from models.case import Role
from tests.api.conftest import Api
from tests.casebook import NEAR_OFFICER, PLATE_LOCAL, XIEJIAWAN

EXAMPLES = 40  # per operation, generation mode and caller
REQUEST_TIMEOUT_S = 10.0
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck), print_blob=False
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest_asyncio.fixture
async def served(dev_stack) -> AsyncIterator[tuple[str, Api]]:
    """The app behind a real HTTP server (schemathesis speaks HTTP), on this event loop,
    so its Temporal client and the workers keep running while the fuzzer waits on sockets."""
    settings_ = dev_stack.settings.model_copy(
        update={"temporal_address": dev_stack.client.service_client.config.target_host}
    )
    app = create_app(settings_)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    serving = asyncio.create_task(server.serve())
    while not server.started:
        assert not serving.done(), "uvicorn did not start"
        await asyncio.sleep(0.05)
    api = Api(app, dev_stack)
    try:
        yield f"http://127.0.0.1:{port}", api
    finally:
        await api.aclose()
        server.should_exit = True
        await serving


def fuzz(base_url: str, spec: dict, headers: dict[str, str], case_id: str) -> list[str]:
    """Every operation × both generation modes; returns what failed (5xx or no answer)."""
    schema = schemathesis.openapi.from_dict(spec)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in schemathesis.GenerationMode:
            strategy = operation.as_strategy(generation_mode=mode)
            if "{case_id}" in operation.path:
                strategy = st.one_of(strategy, operation.as_strategy(generation_mode=mode, path_parameters={"case_id": case_id}))

            @FUZZ_SETTINGS
            @given(case=strategy)
            def no_server_error(case) -> None:
                described = f"{case.method} {case.formatted_path} query={case.query} body={case.body!r}"
                try:
                    response = case.call(base_url=base_url, headers=headers, timeout=REQUEST_TIMEOUT_S)
                except requests.Timeout:
                    failures.append(f"no answer in {REQUEST_TIMEOUT_S} s: {described}")
                    return
                if response.status_code >= 500:
                    failures.append(f"{response.status_code}: {described} → {response.text[:300]}")

            try:
                no_server_error()
            except Unsatisfiable:
                assert mode is schemathesis.GenerationMode.NEGATIVE  # nothing to break (no parameters)
    return failures


@pytest.mark.slow
async def test_no_input_makes_the_api_fail_or_hang(served):
    base_url, api = served
    case_id = await api.open_case(PLATE_LOCAL, 1)
    await api.stage_of(case_id, "awaiting_response")
    spec = (await api.anonymous().get("/openapi.json")).json()
    callers = [
        {},
        bearer(api.key, sub="city-duty", role=Role.city),
        bearer(api.key, sub=NEAR_OFFICER, role=Role.officer, unit=XIEJIAWAN),  # the case's own officer
    ]
    failures = []
    for headers in callers:
        failures += await asyncio.to_thread(fuzz, base_url, spec, headers, case_id)
    assert not failures, "\n".join(failures[:20])
