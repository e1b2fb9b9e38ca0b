import typer
from typer.testing import CliRunner

from models.store.migrate import upgrade
from workers.commands import db, seed


def cli() -> typer.Typer:
    """Just the store's command groups, so these tests do not depend on the others."""
    app = typer.Typer()
    db.register(app)
    seed.register(app)
    return app


def test_upgrade_then_seed_twice_gives_the_same_output(empty_db_url):
    runner = CliRunner()
    upgraded = runner.invoke(cli(), ["db", "upgrade", "--url", empty_db_url])
    assert upgraded.exit_code == 0, upgraded.output
    assert "38 districts, 42 handling units, 1031 streets" in upgraded.output

    arguments = ["seed", "--url", empty_db_url, "--seed", "3", "--sites", "20", "--start", "2026-03-01"]
    seeded = runner.invoke(cli(), arguments)
    assert seeded.exit_code == 0, seeded.output
    assert "20 construction sites" in seeded.output
    assert "sample fingerprint" in seeded.output
    assert runner.invoke(cli(), arguments).output == seeded.output


def test_seed_before_the_directory_is_loaded_says_what_to_run(empty_db_url):
    upgrade(empty_db_url)
    result = CliRunner().invoke(cli(), ["seed", "--url", empty_db_url])
    assert result.exit_code == 1
    assert "onething db upgrade" in result.output
