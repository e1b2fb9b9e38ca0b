"""Service levels (服务时效) as numbers: a case's milestones and the SLA report built from them.

Every case keeps one `CaseMilestones` row current as it moves (received, officer
assigned, officer responded, disposal reported, closed or dismissed, and its deadlines).
The report counts those rows for a tier's scope — city, one district, one street — and
never trusts a rate whose denominator hides open, overdue work. The definitions are
spelled out in docs/ops.md; the code below is their only implementation.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, Field

from models.case import CaseCore, Stage, Tier


class Resolution(StrEnum):
    closed = "closed"  # 办结
    dismissed = "dismissed"  # 不立案: no violation, or the evidence was rejected


class CaseMilestones(BaseModel):
    """The timestamps a case's service levels are judged by; `version` grows with every change."""

    case_id: str
    scenario: str
    version: int = 0
    district_code: str | None = None
    street_code: str | None = None
    received_at: datetime
    assigned_at: datetime | None = Field(default=None, description="first officer assigned (派单)")
    responded_at: datetime | None = Field(default=None, description="first acceptance by an officer (响应)")
    disposed_at: datetime | None = Field(default=None, description="disposal reported and not since returned")
    resolved_at: datetime | None = None
    resolution: Resolution | None = None
    response_due: datetime | None = None
    disposal_due: datetime | None = None
    breaches: list[str] = Field(default_factory=list)

    @property
    def counted(self) -> bool:
        """Whether the SLA report counts more of this case than its receipt."""
        return self.assigned_at is not None or self.resolved_at is not None or bool(self.breaches)


def received(status: CaseCore) -> CaseMilestones:
    return refreshed(CaseMilestones(case_id=status.case_id, scenario=status.scenario, received_at=status.opened_at), status)


def refreshed(milestones: CaseMilestones, status: CaseCore) -> CaseMilestones:
    """Place, deadlines and breaches follow the case at every publish. A scenario without a
    disposal stage has no `disposal_due`."""
    place = status.where
    return _changed(
        milestones,
        district_code=place.district_code if place else None,
        street_code=place.street_code if place else None,
        response_due=status.response_due,
        disposal_due=getattr(status, "disposal_due", None),
        breaches=list(status.breaches),
    )


def reached(milestones: CaseMilestones, stage: Stage, at: datetime) -> CaseMilestones:
    """The milestone a stage entry marks. Only on entry: re-publishing inside a stage moves nothing."""
    match stage:
        case Stage.awaiting_response:
            return _changed(milestones, assigned_at=milestones.assigned_at or at)
        case Stage.disposing:  # accepted, or a disposal returned by the district: not disposed (yet)
            return _changed(milestones, responded_at=milestones.responded_at or at, disposed_at=None)
        case Stage.verifying:
            return _changed(milestones, disposed_at=at)
        case Stage.closed | Stage.dismissed:
            return _changed(milestones, resolved_at=at, resolution=Resolution(stage.value))
    return milestones


def _changed(milestones: CaseMilestones, **changes) -> CaseMilestones:
    if all(getattr(milestones, name) == value for name, value in changes.items()):
        return milestones
    return milestones.model_copy(update={**changes, "version": milestones.version + 1})


# --- the report -------------------------------------------------------------------------


class DurationStats(BaseModel):
    """Median and 90th percentile (linear interpolation between ranks) in seconds."""

    count: int
    median_s: float | None
    p90_s: float | None


class OnTime(BaseModel):
    """on_time / (on_time + late + overdue_open): open work past its deadline counts against."""

    on_time: int
    late: int
    overdue_open: int
    rate: float | None


class SlaFigures(BaseModel):
    received: int = Field(description="cases received in the window")
    dismissed: int = Field(description="of those, dismissed (不立案) by `as_of`")
    filed: int = Field(description="received − dismissed: the cases that must be closed (立案)")
    closed: int = Field(description="of the filed cases, closed (办结) by `as_of`")
    open: int
    closure_rate: float | None = Field(description="closed / filed")
    response: OnTime
    disposal: OnTime
    time_to_assign: DurationStats = Field(description="received → first officer assigned")
    time_to_respond: DurationStats = Field(description="first assigned → first accepted")
    time_to_dispose: DurationStats = Field(description="accepted → disposal reported")
    time_to_close: DurationStats = Field(description="received → closed")


class SlaUnit(BaseModel):
    tier: Tier
    code: str
    name: str
    figures: SlaFigures


class SlaReport(BaseModel):
    scope: SlaUnit
    since: AwareDatetime | None
    until: AwareDatetime | None
    as_of: AwareDatetime = Field(description="milestones after this instant are treated as not yet reached")
    scenario: str | None
    breakdown: list[SlaUnit] = Field(description="one level down: districts of the city, streets of a district")
    definitions: str = "docs/ops.md#sla-definitions"


def figures(cases: Iterable[CaseMilestones], as_of: datetime) -> SlaFigures:
    """The SLA figures of `cases` (already filtered to the window and scope) as they stood at `as_of`."""

    def seen(at: datetime | None) -> datetime | None:
        return at if at is not None and at <= as_of else None

    received = dismissed = closed = 0
    response, disposal = _Tally(), _Tally()
    spans: dict[str, list[float]] = {"assign": [], "respond": [], "dispose": [], "close": []}
    for case in cases:
        received += 1
        resolved = seen(case.resolved_at)
        if resolved and case.resolution is Resolution.dismissed:
            dismissed += 1
            continue
        assigned, responded, disposed = seen(case.assigned_at), seen(case.responded_at), seen(case.disposed_at)
        if resolved and case.resolution is Resolution.closed:
            closed += 1
            spans["close"].append(_seconds(resolved - case.received_at))
        if assigned:
            spans["assign"].append(_seconds(assigned - case.received_at))
            response.count(responded, case.response_due, as_of)
        if assigned and responded:
            spans["respond"].append(_seconds(responded - assigned))
            disposal.count(disposed, case.disposal_due, as_of)
        if responded and disposed:
            spans["dispose"].append(_seconds(disposed - responded))
    filed = received - dismissed
    return SlaFigures(
        received=received,
        dismissed=dismissed,
        filed=filed,
        closed=closed,
        open=filed - closed,
        closure_rate=_ratio(closed, filed),
        response=response.result(),
        disposal=disposal.result(),
        time_to_assign=_stats(spans["assign"]),
        time_to_respond=_stats(spans["respond"]),
        time_to_dispose=_stats(spans["dispose"]),
        time_to_close=_stats(spans["close"]),
    )


class _Tally:
    def __init__(self) -> None:
        self.on_time = self.late = self.overdue_open = 0

    def count(self, done: datetime | None, due: datetime | None, as_of: datetime) -> None:
        if due is None:
            return
        if done is not None:
            if done <= due:
                self.on_time += 1
            else:
                self.late += 1
        elif due < as_of:
            self.overdue_open += 1

    def result(self) -> OnTime:
        judged = self.on_time + self.late + self.overdue_open
        return OnTime(on_time=self.on_time, late=self.late, overdue_open=self.overdue_open, rate=_ratio(self.on_time, judged))


def percentile(ordered: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default), so the median of 1..4 is 2.5."""
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _stats(values: list[float]) -> DurationStats:
    if not values:
        return DurationStats(count=0, median_s=None, p90_s=None)
    ordered = sorted(values)
    return DurationStats(count=len(ordered), median_s=percentile(ordered, 0.5), p90_s=percentile(ordered, 0.9))


def _seconds(span: timedelta) -> float:
    return span.total_seconds()


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None
