"""Tokens without a server: what a token must say for each role, what is refused (expired,
forged, tampered, unsigned), where the key comes from, and `onething token`."""

import base64
import json
import stat
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from models.auth import Principal, TokenRejected, mint_token, signing_key, verify_token
from models.case import Role
from models.settings import Settings, get_settings
from workers.cli import app as onething

KEY = b"k" * 32


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        (Role.city, {}),
        (Role.district, {"unit": "500107"}),
        (Role.street, {"unit": "500107003"}),
        (Role.officer, {"unit": "500107003"}),
        (Role.camera, {"camera": "CAM-JLP-0001"}),
    ],
)
def test_each_role_round_trips_with_its_scope(role, scope):
    principal = verify_token(mint_token(KEY, sub="who-1", role=role, **scope), KEY)
    assert principal.role is role and principal.sub == "who-1"
    assert principal.unit == scope.get("unit", "CITY" if role is Role.city else None)
    assert principal.camera == scope.get("camera")
    assert principal.actor().id == "who-1" and principal.actor().unit_code == principal.unit


@pytest.mark.parametrize(
    ("role", "scope", "complaint"),
    [
        (Role.district, {}, "6-digit district code"),
        (Role.district, {"unit": "500107003"}, "6-digit district code"),
        (Role.street, {"unit": "500107"}, "9-digit street code"),
        (Role.officer, {}, "officer's street"),
        (Role.city, {"unit": "500107"}, "CITY"),
        (Role.camera, {}, "names its camera"),
        (Role.district, {"unit": "500107", "camera": "CAM-1"}, "names its camera"),
        (Role.system, {}, "no token carries it"),
    ],
)
def test_a_token_that_would_be_refused_is_never_minted(role, scope, complaint):
    with pytest.raises(ValidationError, match=complaint):
        mint_token(KEY, sub="who-1", role=role, **scope)


def test_ids_that_could_break_out_of_a_visibility_query_are_refused():
    with pytest.raises(ValidationError):
        mint_token(KEY, sub="x' OR 'a'='a", role=Role.officer, unit="500107003")


def test_expired_token_is_refused_but_says_who_tried():
    token = mint_token(KEY, sub="late-1", role=Role.city, ttl=timedelta(minutes=5), now=datetime.now(UTC) - timedelta(hours=1))
    with pytest.raises(TokenRejected, match="token expired at") as refused:
        verify_token(token, KEY)
    assert refused.value.claims["sub"] == "late-1"


def test_forged_tampered_and_unsigned_tokens_are_refused_and_name_nobody():
    genuine = mint_token(KEY, sub="street-1", role=Role.street, unit="500107003")
    forged = mint_token(b"f" * 32, sub="street-1", role=Role.city)
    header, payload, signature = genuine.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    promoted = base64.urlsafe_b64encode(json.dumps({**claims, "role": "city", "unit": "CITY"}).encode()).rstrip(b"=")
    tampered = f"{header}.{promoted.decode()}.{signature}"
    unsigned = jwt.encode({**claims, "role": "city", "unit": "CITY"}, None, algorithm="none")
    for token, reason in [
        (forged, "Signature verification failed"),
        (tampered, "Signature verification failed"),
        (unsigned, "alg value is not allowed"),
        ("not-a-token", "Not enough segments"),
    ]:
        with pytest.raises(TokenRejected, match=reason) as refused:
            verify_token(token, KEY)
        assert refused.value.claims == {}


def test_signed_token_with_claims_out_of_scope_or_missing_is_refused():
    now = datetime.now(UTC)
    base = {"sub": "d-1", "iat": now, "exp": now + timedelta(hours=1), "iss": "onething"}
    wrong_unit = jwt.encode({**base, "role": "district", "unit": "CITY"}, KEY, algorithm="HS256")
    with pytest.raises(TokenRejected, match="token claims refused: a district token needs unit"):
        verify_token(wrong_unit, KEY)
    for missing in ("exp", "iss", "sub"):
        claims = {key: value for key, value in {**base, "role": "city", "unit": "CITY"}.items() if key != missing}
        with pytest.raises(TokenRejected, match="invalid token"):
            verify_token(jwt.encode(claims, KEY, algorithm="HS256"), KEY)
    other_issuer = jwt.encode({**base, "iss": "elsewhere", "role": "city", "unit": "CITY"}, KEY, algorithm="HS256")
    with pytest.raises(TokenRejected, match="issuer"):
        verify_token(other_issuer, KEY)


def test_key_is_generated_once_under_home_with_owner_only_access(tmp_path):
    settings = Settings(home=tmp_path / "home")
    key = signing_key(settings)
    path = tmp_path / "home" / "secrets" / "jwt.key"
    assert len(key) == 32 and signing_key(settings) == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_configured_secret_wins_and_must_be_long_enough(tmp_path, monkeypatch):
    monkeypatch.setenv("ONETHING_JWT_SECRET", "s" * 40)
    settings = Settings(home=tmp_path / "home")
    assert signing_key(settings) == b"s" * 40 and not (tmp_path / "home" / "secrets").exists()
    monkeypatch.setenv("ONETHING_JWT_SECRET", "short")
    with pytest.raises(ValidationError, match="at least 32"):
        Settings(home=tmp_path / "home")


@pytest.fixture
def fresh_settings():
    """`onething` reads settings once per process; these tests change the environment."""
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_onething_token_prints_a_token_the_api_accepts(tmp_path, monkeypatch, fresh_settings):
    monkeypatch.setenv("ONETHING_HOME", str(tmp_path / "home"))
    minted = CliRunner().invoke(onething, ["token", "--role", "officer", "--sub", "OF-1", "--unit", "500107003", "--ttl", "30m"])
    assert minted.exit_code == 0, minted.output
    principal: Principal = verify_token(minted.output.strip(), signing_key(Settings(home=tmp_path / "home")))
    assert (principal.role, principal.sub, principal.unit) == (Role.officer, "OF-1", "500107003")
    assert timedelta(minutes=29) < principal.exp - datetime.now(UTC) <= timedelta(minutes=30)

    refused = CliRunner().invoke(onething, ["token", "--role", "street", "--sub", "s-1", "--unit", "5001"])
    assert refused.exit_code == 2 and "9-digit street code" in refused.output
    bad_ttl = CliRunner().invoke(onething, ["token", "--role", "city", "--sub", "c-1", "--ttl", "forever"])
    assert bad_ttl.exit_code == 2 and "forever" in bad_ttl.output
