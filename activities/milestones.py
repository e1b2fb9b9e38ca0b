"""Mirror a case's milestones into the store (a local activity beside the case workflow).

A local activity, because it is one small keyed write the SLA report reads later; a round
trip through a task queue would cost the case more than the write itself.
"""

from sqlalchemy.engine import Engine
from temporalio import activity

from models.sla import CaseMilestones
from models.store import session_scope
from models.store.milestones import save_milestones


class MilestoneActivities:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @activity.defn(name="record_milestones")
    def record(self, milestones: list[CaseMilestones]) -> None:
        with session_scope(self.engine) as session:
            save_milestones(session, milestones)
