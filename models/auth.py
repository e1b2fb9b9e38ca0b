"""Who is calling the API: signed bearer tokens (JWT, HS256) naming a subject, a role and
the unit whose cases the subject may touch.

Minting and verifying live here, not in `api/`, because operators (`onething token`) and
the demo mint tokens without importing the web app. The key comes from the settings
(`ONETHING_JWT_SECRET`) in a deployment; the embedded stack generates one into
`<home>/secrets/jwt.key` on first use, so no key is ever in the repository.
"""

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, model_validator

from models.case import Actor, Role
from models.secrets import load_or_create_secret
from models.settings import Settings
from models.store.ledger import CITY_UNIT_CODE

ALGORITHM = "HS256"
ISSUER = "onething"
ID_PATTERN = r"^[\w.@:\-]{1,64}$"  # no quotes: ids end up in Temporal visibility queries

UNITS: dict[Role, tuple[str, str]] = {
    Role.city: (re.escape(CITY_UNIT_CODE), CITY_UNIT_CODE),
    Role.district: (r"\d{6}", "a 6-digit district code"),
    Role.street: (r"\d{9}", "a 9-digit street code"),
    Role.officer: (r"\d{9}", "the 9-digit code of the officer's street"),
}


class TokenRejected(ValueError):
    """Why a token was refused (HTTP 401). `claims` holds what a correctly signed but
    refused token said (e.g. an expired one), so the audit can name who tried."""

    def __init__(self, reason: str, claims: dict[str, Any] | None = None) -> None:
        super().__init__(reason)
        self.claims = claims or {}


class Principal(BaseModel):
    """The verified claims of a token: the only source of who acts in a command."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    sub: str = Field(pattern=ID_PATTERN, description="user, officer or camera id")
    role: Role
    unit: str | None = Field(default=None, description="street code, district code or CITY")
    camera: str | None = Field(default=None, pattern=ID_PATTERN, description="a camera key's camera")
    exp: AwareDatetime

    @model_validator(mode="after")
    def _scope_fits_role(self) -> "Principal":
        if self.role is Role.system:
            raise ValueError("system is the workflows' own role; no token carries it")
        if (self.role is Role.camera) != (self.camera is not None):
            raise ValueError("a camera token, and only a camera token, names its camera")
        if self.role in UNITS:
            pattern, what = UNITS[self.role]
            if not re.fullmatch(pattern, self.unit or ""):
                raise ValueError(f"a {self.role.value} token needs unit {what}, not {self.unit!r}")
        return self

    def actor(self) -> Actor:
        return Actor(role=self.role, id=self.sub, unit_code=self.unit)


def signing_key(settings: Settings) -> bytes:
    """The one key tokens are signed and verified with: the configured secret in a
    deployment, else the embedded stack's own, generated on first use."""
    if settings.jwt_secret is not None:
        return settings.jwt_secret.get_secret_value().encode()
    return load_or_create_secret(settings.home / "secrets" / "jwt.key")


def mint_token(
    key: bytes,
    *,
    sub: str,
    role: Role,
    unit: str | None = None,
    camera: str | None = None,
    ttl: timedelta = timedelta(hours=8),
    now: datetime | None = None,
) -> str:
    """A signed token; the claims are validated first, so a token that would be refused
    (a street token without a street) is never minted. The city's unit defaults to CITY."""
    now = now or datetime.now(UTC)
    if role is Role.city and unit is None:
        unit = CITY_UNIT_CODE
    principal = Principal(sub=sub, role=role, unit=unit, camera=camera, exp=now + ttl)
    claims = {**principal.model_dump(mode="json", exclude_none=True), "exp": principal.exp, "iat": now, "iss": ISSUER}
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def bearer(key: bytes, **claims: Any) -> dict[str, str]:
    """The `Authorization` header of a freshly minted token (the demo, tests, scripts)."""
    return {"Authorization": f"Bearer {mint_token(key, **claims)}"}


def claims_problem(err: ValidationError) -> str:
    return "; ".join(error["msg"].removeprefix("Value error, ") for error in err.errors())


def verify_token(token: str, key: bytes) -> Principal:
    options = {"require": ["exp", "iat", "iss", "sub"]}
    try:
        claims = jwt.decode(token, key, algorithms=[ALGORITHM], issuer=ISSUER, options=options)
    except jwt.ExpiredSignatureError as err:
        signed = jwt.decode(token, key, algorithms=[ALGORITHM], options={"verify_exp": False})
        expired = datetime.fromtimestamp(signed["exp"], UTC).isoformat()
        raise TokenRejected(f"token expired at {expired}", signed) from err
    except jwt.InvalidTokenError as err:
        raise TokenRejected(f"invalid token: {err}") from err
    try:
        return Principal.model_validate(claims)
    except ValidationError as err:
        raise TokenRejected(f"token claims refused: {claims_problem(err)}", claims) from err
