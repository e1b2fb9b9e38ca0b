"""`onething token`: mint an API bearer token for an operator, an officer's app or a camera.

It signs with the key the API verifies with (ONETHING_JWT_SECRET, else
`<home>/secrets/jwt.key`), so run it with the API's settings. Roles and scopes:
docs/security.md.
"""

import re
from datetime import timedelta

import typer
from pydantic import ValidationError

from models.auth import claims_problem, mint_token, signing_key
from models.case import Role
from models.settings import get_settings

TTL = re.compile(r"^(\d+)([smhd])$")
UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def parse_ttl(text: str) -> timedelta:
    match = TTL.fullmatch(text.strip())
    if not match or int(match[1]) == 0:
        raise typer.BadParameter(f"{text!r}: give a lifetime like 90s, 30m, 8h or 7d")
    return timedelta(**{UNITS[match[2]]: int(match[1])})


def register(app: typer.Typer) -> None:
    @app.command("token")
    def token_command(
        role: Role = typer.Option(..., help="city | district | street | officer | camera"),
        sub: str = typer.Option(..., help="who: user id, officer id (as in the registry) or camera id"),
        unit: str | None = typer.Option(None, help="district code, street code (officer: their street); city: CITY"),
        camera: str | None = typer.Option(None, help="camera keys: the one camera it reports for"),
        ttl: timedelta = typer.Option("8h", parser=parse_ttl, help="lifetime: 90s, 30m, 8h, 7d"),
    ) -> None:
        """Print a signed API token (use as `Authorization: Bearer <token>`)."""
        try:
            token = mint_token(signing_key(get_settings()), sub=sub, role=role, unit=unit, camera=camera, ttl=ttl)
        except ValidationError as err:
            typer.echo(f"error: {claims_problem(err)}", err=True)
            raise typer.Exit(2) from err
        typer.echo(token)
