"""Authentication for every API call, and the one way to refuse a caller (audited).

`authenticate` is installed as a global dependency of the app (api/app.py), so every
route, including routes added later, needs a bearer token unless it opts out with
`openapi_extra=PUBLIC` (health checks). A refusal — 401 here, 403 in the routes through
`Caller.deny` — is written to the audit log before it is returned.
"""

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, Security, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.engine import Engine

from api.deps import EngineDep
from api.schemas import Problem
from models.auth import Principal, TokenRejected, verify_token
from models.store.audit import AuditEntry, record_denial

bearer_scheme = HTTPBearer(auto_error=False, description="a token from `onething token` (docs/security.md)")

PUBLIC: dict[str, Any] = {"security": [{}]}
"""`openapi_extra` of a route anyone may call: no token asked, and the OpenAPI document
says so (an empty security requirement next to the bearer one)."""

REFUSED: dict[int | str, dict[str, Any]] = {401: {"model": Problem}, 403: {"model": Problem}}


async def authenticate(
    request: Request,
    engine: EngineDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer_scheme)],
) -> Principal | None:
    if getattr(request.scope.get("route"), "openapi_extra", None) == PUBLIC:
        return None
    if credentials is None:
        reason, claims, challenge = "missing bearer token (Authorization: Bearer <token>)", {}, "Bearer"
    else:
        try:
            return verify_token(credentials.credentials, request.app.state.jwt_key)
        except TokenRejected as err:
            reason, claims, challenge = str(err), err.claims, 'Bearer error="invalid_token"'
    raise refuse(request, engine, status.HTTP_401_UNAUTHORIZED, reason, claims, {"WWW-Authenticate": challenge})


class Caller:
    """The authenticated principal of a request, and how to refuse it with a reason."""

    def __init__(
        self, request: Request, engine: EngineDep, principal: Annotated[Principal | None, Depends(authenticate)]
    ) -> None:
        if principal is None:
            raise RuntimeError(f"public route {request.url.path} asked who is calling")
        self.request = request
        self.engine = engine
        self.principal = principal

    def deny(self, reason: str) -> HTTPException:
        """Audit the refusal and return the 403 to raise."""
        claims = self.principal.model_dump(mode="json")
        return refuse(self.request, self.engine, status.HTTP_403_FORBIDDEN, reason, claims)


CallerDep = Annotated[Caller, Depends()]


def refuse(
    request: Request,
    engine: Engine,
    code: int,
    reason: str,
    claims: Mapping[str, Any],
    headers: dict[str, str] | None = None,
) -> HTTPException:
    route = request.scope.get("route")
    record_denial(
        engine,
        AuditEntry(
            status=code,
            subject=_text(claims.get("sub")),
            role=_text(claims.get("role")),
            unit=_text(claims.get("unit") or claims.get("camera")),
            method=request.method,
            path=request.url.path,
            action=request.path_params.get("action") or getattr(route, "name", None),
            case_id=request.path_params.get("case_id"),
            reason=reason,
        ),
    )
    return HTTPException(code, reason, headers=headers)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
