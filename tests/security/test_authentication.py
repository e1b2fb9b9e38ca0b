"""Every API call but health and the docs needs a valid bearer token; each refusal is a 401
with the reason and a `WWW-Authenticate: Bearer` challenge, and is audited."""

import re
from datetime import UTC, datetime, timedelta

import jwt
from fastapi.routing import APIRoute

from api.auth import PUBLIC
from models.auth import mint_token
from models.case import Role
from tests.casebook import JIULONGPO
from tests.security.conftest import audit_rows


async def test_missing_expired_forged_or_malformed_tokens_get_401_and_are_audited(api):
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    expired = mint_token(api.key, sub="jlp-late", role=Role.district, unit=JIULONGPO, ttl=timedelta(minutes=5), now=an_hour_ago)
    forged = mint_token(b"not-the-stack-key-not-the-stack-key", sub="intruder", role=Role.city)
    unsigned = jwt.encode({"sub": "intruder", "role": "city", "unit": "CITY", "iss": "onething"}, None, algorithm="none")
    attempts = [
        ({}, "missing bearer token", "Bearer", None),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "missing bearer token", "Bearer", None),
        ({"Authorization": f"Bearer {expired}"}, "token expired at", 'Bearer error="invalid_token"', "jlp-late"),
        ({"Authorization": f"Bearer {forged}"}, "Signature verification failed", 'Bearer error="invalid_token"', None),
        ({"Authorization": f"Bearer {unsigned}"}, "alg value is not allowed", 'Bearer error="invalid_token"', None),
        ({"Authorization": "Bearer garbage"}, "invalid token", 'Bearer error="invalid_token"', None),
    ]
    for headers, reason, challenge, subject in attempts:
        response = await api.anonymous(**headers).get("/v1/cases", params={"district": JIULONGPO})
        assert response.status_code == 401, (headers, response.text)
        assert reason in response.json()["detail"] and response.headers["www-authenticate"] == challenge

    rows = audit_rows(api)
    assert [(row.status, row.method, row.path, row.action) for row in rows] == [(401, "GET", "/v1/cases", "list_cases")] * 6
    assert [row.subject for row in rows] == [subject for *_, subject in attempts]
    assert (rows[2].role, rows[2].unit) == ("district", JIULONGPO), "a signed but expired token names who tried"
    assert all(reason in row.reason for row, (_, reason, *_) in zip(rows, attempts, strict=True))


async def test_every_route_but_the_public_ones_asks_for_a_token(api):
    """Walks the app's own OpenAPI document (and the routes kept out of it), so a route
    added later is held to the same rule."""
    operations = [
        (method.upper(), path, {} in operation.get("security", []))
        for path, methods in api.app.openapi()["paths"].items()
        for method, operation in methods.items()
    ]
    operations += [
        (method, route.path, route.openapi_extra == PUBLIC)
        for route in api.app.routes
        if isinstance(route, APIRoute) and not route.include_in_schema
        for method in route.methods
    ]
    anonymous = api.anonymous()
    for method, path, public in operations:
        if public:
            continue
        concrete = re.sub(r"\{[^}]+\}", "x", path.replace("{action}", "accept"))
        response = await anonymous.request(method, concrete, json={} if method == "POST" else None)
        assert response.status_code == 401, f"{method} {path} answered {response.status_code} without a token"
    assert {path for _, path, public in operations if public} == {"/healthz"}
    assert {"/metrics", "/v1/cases/{case_id}/actions/{action}"} <= {path for _, path, _ in operations}
    assert len(audit_rows(api)) == len(operations) - 1


async def test_health_and_docs_are_public(api):
    anonymous = api.anonymous()
    assert (await anonymous.get("/healthz")).status_code == 200
    spec = (await anonymous.get("/openapi.json")).json()
    assert (await anonymous.get("/docs")).status_code == 200
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert spec["paths"]["/v1/cases"]["get"]["security"] == [{"HTTPBearer": []}]
    assert {} in spec["paths"]["/healthz"]["get"]["security"], "health says no token is needed"
    assert audit_rows(api) == []
