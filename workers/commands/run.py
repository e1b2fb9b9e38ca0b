"""`onething worker | api | dev | temporal register`: running the system."""

import asyncio
from pathlib import Path

import typer

from models import task_queues
from models.settings import get_settings

TIER_HELP = f"tier (task queue) to serve: {', '.join(task_queues.ALL)}; repeat for several"


def register(app: typer.Typer) -> None:
    @app.command("worker")
    def worker_command(tier: list[str] = typer.Option(..., "--tier", "-t", help=TIER_HELP)) -> None:
        """Run one tier's worker (scale a tier by running more of these)."""
        from workers.logging import configure_logging
        from workers.run_workers import run_workers

        unknown = sorted(set(tier) - set(task_queues.ALL))
        if unknown:
            typer.echo(f"error: unknown tier {', '.join(unknown)}; choose from {', '.join(task_queues.ALL)}", err=True)
            raise typer.Exit(2)
        configure_logging()
        asyncio.run(run_workers(tier))

    @app.command("api")
    def api_command(
        host: str = typer.Option("127.0.0.1", help="bind address (127.0.0.1 unless behind a proxy)"),
        port: int = typer.Option(8000),
    ) -> None:
        """Serve the HTTP API (OpenAPI docs at /docs)."""
        import uvicorn

        from api.app import create_app
        from workers.logging import configure_logging

        configure_logging()
        uvicorn.run(create_app(), host=host, port=port, log_config=None)

    @app.command("dev")
    def dev_command(
        config: Path = typer.Option(Path("temporal-dev.yml"), help="the local stack description"),
        demo: bool = typer.Option(False, help="run one real demo case through the stack once it is up"),
        exit_after_demo: bool = typer.Option(False, help="stop the stack after the demo (scripts, CI)"),
    ) -> None:
        """Start the embedded stack: Temporal dev server + UI, store, workers per tier, API."""
        from workers.dev_session import run_dev_session

        raise typer.Exit(asyncio.run(run_dev_session(config, demo=demo, exit_after_demo=exit_after_demo)))

    temporal = typer.Typer(no_args_is_help=True, help="Operations against a Temporal cluster.")

    @temporal.command("register")
    def register_command() -> None:
        """Register OneThing's search attributes on TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE."""
        from models.temporal_client import connect
        from workers.search_attributes import register_search_attributes

        async def go() -> list[str]:
            return await register_search_attributes(await connect())

        added = asyncio.run(go())
        settings = get_settings()
        typer.echo(f"{settings.temporal_address}/{settings.temporal_namespace}: added {', '.join(added) or 'nothing (all present)'}")

    app.add_typer(temporal, name="temporal")
