"""One `onething dev` session: bring the stack up, optionally run the demo case, print
where to look, and shut everything down on Ctrl-C (or after the demo, if asked)."""

import asyncio
import signal
from pathlib import Path

import typer
from pydantic import ValidationError

from models.settings import get_settings
from models.store.engine import make_engine
from workers.demo import run_demo_case
from workers.dev_config import DevStackConfig
from workers.dev_stack import DevStack, StackError


async def run_dev_session(config_path: Path, *, demo: bool, exit_after_demo: bool) -> int:
    try:
        config = DevStackConfig.load(config_path)
    except (OSError, ValidationError) as err:
        typer.echo(f"error: {config_path}: {err}", err=True)
        return 2
    settings = get_settings()
    stack = DevStack(config, settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        typer.echo("starting Temporal dev server, store, workers and API …")
        await stack.start()
        typer.echo(f"Temporal UI   {stack.ui_url}")
        typer.echo(f"API docs      {stack.api_url}/docs")
        typer.echo(f"logs          {stack.logs}/")
        if demo:
            await _demo(stack, settings)
        if demo and exit_after_demo:
            return 0
        typer.echo("stack is up; Ctrl-C stops it")
        while not stop.is_set():
            stack.check_children()
            try:
                await asyncio.wait_for(stop.wait(), timeout=1.0)
            except TimeoutError:
                pass
        return 0
    except StackError as err:
        typer.echo(f"error: {err}", err=True)
        return 1
    finally:
        typer.echo("stopping …")
        stack.stop()


async def _demo(stack: DevStack, settings) -> None:
    engine = make_engine(settings.resolved_database_url)
    try:
        report = await run_demo_case(stack.api_url, engine, settings, say=lambda line: typer.echo(f"  {line}"))
    finally:
        engine.dispose()
    case = report.case
    typer.echo(f"\ncase {case.case_id}: {case.stage.value} — {case.outcome}")
    typer.echo(f"  in the UI: {stack.ui_url}/{case.case_id}")
    for entry in case.timeline:
        typer.echo(f"  {entry.at:%H:%M:%S.%f}"[:-3] + f"  {entry.stage.value:<17} {entry.action:<32} {entry.actor:<22} {entry.note}")
    typer.echo("ledger (tier, unit, outcome):")
    for tier, unit, outcome in report.ledger:
        typer.echo(f"  {tier:<9} {unit:<10} {outcome}")
