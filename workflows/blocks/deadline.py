"""Deadline with an escalation ladder: the one place a service level is enforced.

A stage is held until `done()`; the breach and each ladder rung fire at their own time
after the stage started, driven by durable Temporal timers, so a worker restart or a
week-long wait changes nothing. After the last rung the stage keeps waiting: a case is
never dropped for being late, it stays breached and visible.
"""

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from temporalio import workflow

from models.policy import LadderStep, StageDeadline


async def wait_until(done: Callable[[], bool], timeout: timedelta | None) -> bool:
    """True if `done()` held before the timeout (None waits for ever)."""
    if done():
        return True
    if timeout is not None and timeout <= timedelta(0):
        return False
    try:
        await workflow.wait_condition(done, timeout=timeout)
    except TimeoutError:
        return False
    return True


async def hold_stage(
    done: Callable[[], bool],
    deadline: StageDeadline,
    *,
    on_breach: Callable[[], Awaitable[None]],
    on_rung: Callable[[LadderStep], Awaitable[None]],
    started: datetime | None = None,
) -> bool:
    """Wait for `done()`; return whether it came within the deadline.

    `started` lets a reopened stage keep its original clock (a disposal returned by the
    district does not get a fresh seven days).
    """
    started = started or workflow.now()
    marks: list[tuple[timedelta, int, LadderStep | None]] = [(deadline.within, 0, None)]
    marks += [(step.at, 1, step) for step in deadline.ladder]
    on_time = True
    for at, _, step in sorted(marks, key=lambda mark: mark[:2]):
        if await wait_until(done, started + at - workflow.now()):
            return on_time
        if step is None:
            on_time = False
            await on_breach()
        else:
            await on_rung(step)
    await wait_until(done, None)
    return on_time
