"""The `onething` command: one CLI for data builds, the store, workers and the dev stack.

Each command group lives in its own module under `workers/commands/` and registers itself
here, so adding a command never touches another command's code.
"""

import typer

from workers.commands import db, geo, risk_points, run, seed, token, vision

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="OneThing: city one-things (一件事) as durable Temporal workflows.",
)

for module in (geo, db, seed, risk_points, run, token, vision):
    module.register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
