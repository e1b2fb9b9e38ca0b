"""Deadline with an escalation ladder: the one place a service level is enforced.

A stage is held until `done()`; the breach and each ladder rung fire at their own time
after the stage started, driven by durable Temporal timers, so a worker restart or a
week-long wait changes nothing. After the last rung the stage keeps waiting: a case is
never dropped for being late, it stays breached and visible.

The deadline may be a callable read afresh whenever it changes: a rainstorm warning
upgraded mid-patrol tightens the patrol's deadline at once, from the same start, and
fires at once whatever the tighter ladder has already passed (each rung at most once).
"""

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from temporalio import workflow

from models.policy import LadderStep, StageDeadline

DeadlineSource = StageDeadline | Callable[[], StageDeadline]


def in_force(deadline: DeadlineSource) -> StageDeadline:
    return deadline() if callable(deadline) else deadline


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
    deadline: DeadlineSource,
    *,
    on_breach: Callable[[], Awaitable[None]],
    on_rung: Callable[[LadderStep], Awaitable[None]],
    started: datetime | None = None,
    on_change: Callable[[datetime], None] | None = None,
) -> bool:
    """Wait for `done()`; return whether it came within the deadline.

    `started` lets a reopened stage keep its original clock (a disposal returned by the
    district does not get a fresh seven days). `on_change` hears the new due time when a
    changed deadline is taken up, so what the case shows is what is enforced.
    """
    started = started or workflow.now()
    fired: set[tuple[int, object]] = set()
    active = in_force(deadline)
    while True:
        marks: list[tuple[timedelta, int, tuple[int, object], LadderStep | None]] = [(active.within, 0, (-1, None), None)]
        marks += [(step.at, 1, (index, step.action), step) for index, step in enumerate(active.ladder)]
        pending = sorted((mark for mark in marks if mark[2] not in fired), key=lambda mark: mark[:2])
        timeout = started + pending[0][0] - workflow.now() if pending else None
        if await wait_until(lambda: done() or in_force(deadline) != active, timeout):
            if done():
                return (-1, None) not in fired
            active = in_force(deadline)
            if on_change is not None:
                on_change(started + active.within)
            continue
        _, _, key, step = pending[0]
        fired.add(key)
        if step is None:
            await on_breach()
        else:
            await on_rung(step)
