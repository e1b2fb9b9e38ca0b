"""Keep a parent posted: a child case signals its parent whenever its progress changes.

A parent that fans out to many children and continues as new cannot await them (a new
run does not inherit its predecessor's child futures), so each child reports instead;
the parent's workflow id is stable across runs, so the signal reaches whichever run is
current. Changes made while a signal is in flight are coalesced into the next one.
"""

from collections.abc import Callable
from typing import Any

from temporalio import workflow
from temporalio.exceptions import FailureError


async def keep_posted(
    parent_id: str | None, signal: str, progress: Callable[[], Any], final: Callable[[Any], bool]
) -> None:
    """Signal `progress()` on each change after the first (the parent knows the start) until `final`."""
    if parent_id is None:
        return
    parent = workflow.get_external_workflow_handle(parent_id)
    sent = progress()
    while not final(sent):
        await workflow.wait_condition(lambda: progress() != sent)
        sent = progress()
        try:
            await parent.signal(signal, sent)
        except FailureError as err:  # the parent was terminated: nobody left to count
            workflow.logger.warning("parent unreachable", extra={"parent": parent_id, "error": str(err)})
            return
