"""渣土车监管一件事 — muck-truck supervision as one durable case.

Detection → source-site triage (研判, 3 min) → cross-district confirmation by the city
(跨区确认和转派) → officer assignment (ms) → response (30 min) → disposal (7 days) →
district verification → outcome written to street, district and city ledgers.
The control flow below is the whole scenario; deadlines, ladders, assignment, tier
escalation and closure are the shared blocks.
"""

import asyncio

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.detection import DetectionActivities
    from activities.directory import DirectoryActivities
    from activities.triage import TriageActivities
    from models import task_queues
    from models.case import (
        VIOLATION_ZH,
        AcceptCommand,
        CameraEvent,
        CaseStatus,
        ConfirmCrossDistrictCommand,
        DisposalCommand,
        Evidence,
        MuckTruckCaseInput,
        Place,
        ReturnCommand,
        Role,
        SightingReceipt,
        SourceSite,
        Stage,
        Tier,
        TransferCommand,
        TriageCommand,
        VerifyCommand,
    )
    from models.steps import DetectionRequest, DetectionResult, SiteById, SiteLookup, StreetLookup

from workflows.blocks import authority
from workflows.blocks.assignment import LOCAL_TIMEOUT, assign_and_wait, release_officer
from workflows.blocks.case_workflow import ACTIVITY_RETRY, ACTIVITY_TIMEOUT, CaseWorkflow, actor_label, stage_words
from workflows.blocks.closure import write_outcome
from workflows.blocks.deadline import hold_stage
from workflows.blocks.escalation import escalate_to_tier

SCENARIO = "muck-truck"


@workflow.defn(name="MuckTruckCase")
class MuckTruckCaseWorkflow(CaseWorkflow):
    @workflow.init
    def __init__(self, start: MuckTruckCaseInput) -> None:
        super().__init__()
        self.policy = start.policy
        self.first = start.first
        alert = start.first.alert
        self.case = CaseStatus(
            case_id=workflow.info().workflow_id,
            scenario=SCENARIO,
            stage=Stage.detecting,
            opened_at=workflow.now(),
            violation=alert.violation if alert else None,
            plate=alert.plate if alert else None,
        )
        self._seen_events = {start.first.event_key}
        self._unprocessed: list[CameraEvent] = []
        self._detecting = False
        self._triaged = False
        self._confirmed_place: Place | None = None
        self._city_confirmed = False
        self._accepted = False
        self._transfer_to: Place | None = None
        self._verified = False
        self._returned = False

    @workflow.query
    def status(self) -> CaseStatus:
        return self.case

    def describe(self) -> str:
        case = self.case
        what = VIOLATION_ZH.get(case.violation, "待识别") if case.violation else "待识别"
        where = case.camera.district_name if case.camera else "?"
        if case.responsible and case.camera and case.responsible.district_code != case.camera.district_code:
            where = f"{case.camera.district_name} → {case.responsible.district_name}"
        return f"渣土车 {what} {case.plate or '无牌'} · {where} · {stage_words(case)}"

    # --- the scenario ---------------------------------------------------------------

    @workflow.run
    async def run(self, start: MuckTruckCaseInput) -> CaseStatus:
        self.publish()
        self._detecting = True
        try:
            detection = await self._detect(self.first)
        except ActivityError as err:
            return await self._dismiss(f"evidence rejected: {_reason(err)}")
        finally:
            self._detecting = False
        self.case.camera = detection.camera
        self._add_evidence(detection.evidence)
        evidence_worker = asyncio.create_task(self._process_later_sightings())
        if detection.violation is None:
            result = await self._dismiss(detection.reason)
        else:
            self.case.violation = detection.violation
            self.case.plate = self.case.plate or detection.plate  # a raw frame's plate is read on-platform
            self.record("violation confirmed", note=detection.reason)
            site = await self._triage()
            responsible = await self._route(site)
            await self._handle(responsible)
            result = await self._close()
        await workflow.wait_condition(
            lambda: not self._unprocessed and not self._detecting and workflow.all_handlers_finished()
        )
        evidence_worker.cancel()
        return result

    async def _triage(self) -> SourceSite | None:
        """研判: plate → valid transport permit → source site; else the district by hand."""
        self.case.triage_due = workflow.now() + self.policy.triage.within
        self.enter(Stage.triage)
        if self.case.plate:
            site = await workflow.execute_activity_method(
                TriageActivities.find_source_site,
                SiteLookup(plate=self.case.plate, at=self.first.observed_at),
                task_queue=task_queues.DISTRICT,
                start_to_close_timeout=ACTIVITY_TIMEOUT,
                retry_policy=ACTIVITY_RETRY,
                summary=f"permit lookup {self.case.plate}",
            )
            if site is not None:
                self.case.source_site = site
                self.record("source site found", note=f"{site.site_name} via permit {site.permit_id}")
                return site
        self.record("no valid transport permit", note=self.case.plate or "no plate read")
        camera = self._camera()
        await escalate_to_tier(
            self,
            stage=Stage.triage,
            role=Role.district,
            unit_code=camera.district_code,
            deadline=self.policy.triage,
            decided=lambda: self._triaged,
            ask="no valid transport permit: identify the source site by hand",
            may_default=False,
        )
        return self.case.source_site

    async def _route(self, site: SourceSite | None) -> Place:
        """跨区: a site in another district goes to the city to confirm and re-dispatch."""
        camera = self._camera()
        if site is None or site.place.district_code == camera.district_code:
            self.case.responsible = site.place if site else camera
            return self.case.responsible
        self.case.cross_district = True
        self.case.responsible = site.place
        confirmed = await escalate_to_tier(
            self,
            stage=Stage.awaiting_city,
            role=Role.city,
            unit_code="CITY",
            deadline=self.policy.city_confirmation,
            decided=lambda: self._city_confirmed,
            ask=f"source site in {site.place.district_name}: confirm and re-dispatch",
            may_default=True,
        )
        if not confirmed:
            self.record(
                "auto-routed",
                note=f"no city confirmation within {self.policy.city_confirmation.within}; "
                f"routed to the source site's street {site.place.street_name}",
            )
        self.case.responsible = self._confirmed_place or site.place
        return self.case.responsible

    async def _handle(self, street: Place) -> None:
        """Assign, respond, dispose, verify — until the district approves a disposal."""
        while True:
            self._accepted = False
            self.case.responsible = street
            await assign_and_wait(
                self,
                street,
                self.policy.response,
                accepted=lambda: self._accepted,
                interrupted=lambda: self._transfer_to is not None,
            )
            if self._transfer_to is not None:
                street = self._take_transfer(street)
                continue
            self.case.disposal_due = workflow.now() + self.policy.disposal.within
            disposal_started = workflow.now()
            while True:
                self.enter(Stage.disposing)
                await hold_stage(
                    lambda: self.case.disposal is not None or self._transfer_to is not None,
                    self.policy.disposal,
                    on_breach=self._breach_disposal,
                    on_rung=lambda step: self.supervise(step, "disposal"),
                    started=disposal_started,
                )
                if self._transfer_to is not None:
                    break
                self._verified = self._returned = False
                await escalate_to_tier(
                    self,
                    stage=Stage.verifying,
                    role=Role.district,
                    unit_code=street.district_code,
                    deadline=self.policy.verification,
                    decided=lambda: self._verified or self._returned,
                    ask="verify the disposal",
                    may_default=False,
                )
                if self._verified:
                    return
            street = self._take_transfer(street)

    async def _close(self) -> CaseStatus:
        await release_officer(self, "closed")
        place = self.case.responsible or self._camera()
        assert self.case.disposal is not None
        await write_outcome(
            self,
            self.case.disposal.outcome,
            {Tier.street: place.street_code or place.district_code, Tier.district: place.district_code, Tier.city: "CITY"},
        )
        self.enter(Stage.closed)
        return self.case

    async def _dismiss(self, reason: str) -> CaseStatus:
        place = self.case.camera
        await write_outcome(self, f"dismissed: {reason}", {Tier.district: place.district_code if place else "UNKNOWN"})
        self.enter(Stage.dismissed, note=reason)
        return self.case

    async def _breach_disposal(self) -> None:
        self.breach("disposal")

    # --- evidence -------------------------------------------------------------------

    async def _detect(self, event: CameraEvent) -> DetectionResult:
        return await workflow.execute_activity_method(
            DetectionActivities.detect,
            DetectionRequest(case_id=self.case.case_id, event=event, min_confidence=self.policy.min_confidence),
            task_queue=task_queues.VISION,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            retry_policy=ACTIVITY_RETRY,
            summary=f"detect {event.camera_id} {event.observed_at:%H:%M:%S}",
        )

    def _add_evidence(self, evidence: Evidence) -> None:
        if all(known.sha256 != evidence.sha256 for known in self.case.evidence):
            self.case.evidence.append(evidence)
            self.record("evidence stored", note=f"{evidence.camera_id} sha256:{evidence.sha256[:12]}")

    async def _process_later_sightings(self) -> None:
        """Sightings that joined the case become extra evidence, one at a time."""
        while True:
            await workflow.wait_condition(lambda: bool(self._unprocessed))
            self._detecting = True
            event = self._unprocessed.pop(0)
            try:
                self._add_evidence((await self._detect(event)).evidence)
            except ActivityError as err:
                self.record("sighting rejected", note=_reason(err))
            finally:
                self._detecting = False

    @workflow.update
    async def add_sighting(self, event: CameraEvent) -> SightingReceipt:
        joined = event.event_key != self.first.event_key
        if event.event_key not in self._seen_events:
            self._seen_events.add(event.event_key)
            self._unprocessed.append(event)
            self.record("sighting joined", actor=f"camera:{event.camera_id}", note=event.observed_at.isoformat())
        return SightingReceipt(
            case_id=self.case.case_id,
            joined_existing=joined,
            evidence_count=len(self.case.evidence) + len(self._unprocessed) + int(self._detecting),
        )

    @add_sighting.validator
    def _validate_sighting(self, event: CameraEvent) -> None:
        if self.case.stage in (Stage.closed, Stage.dismissed):
            raise authority.Refused(f"case {self.case.case_id} is {self.case.stage.value}")
        if event.event_key == self.first.event_key:
            return  # the sighting that opened the case, delivered by update-with-start (a raw frame has no alert)
        alert = event.alert
        if alert is None or alert.plate != self.case.plate or alert.violation != self.case.violation:
            raise authority.Refused("sighting is of another truck or violation")
        gap = abs(event.observed_at - self.first.observed_at)
        if gap > self.policy.dedup_window:
            raise authority.Refused(f"sighting is {gap} after the case opened; window is {self.policy.dedup_window}")

    # --- human steps ----------------------------------------------------------------

    @workflow.update
    async def triage(self, command: TriageCommand) -> CaseStatus:
        by = actor_label(command.actor)
        site = await self._site(command.site_id, found_by=f"manual triage by {by}") if command.site_id else None
        authority.require_stage(self.case, Stage.triage)
        if self._triaged:
            raise authority.Refused("the source site was identified meanwhile")
        self.case.source_site = site
        self._triaged = True
        found = site.site_name if site else "source unknown: handled where the truck was seen"
        self.record("source site identified", actor=by, note=f"{found}; {command.note}")
        return self.case

    @triage.validator
    def _validate_triage(self, command: TriageCommand) -> None:
        authority.require_stage(self.case, Stage.triage)
        authority.require_district_of_case(self.case, command.actor)
        if self._triaged:
            raise authority.Refused("the source site is already identified")

    @workflow.update
    async def confirm_cross_district(self, command: ConfirmCrossDistrictCommand) -> CaseStatus:
        place = await self._street(command.street_code) if command.street_code else None
        authority.require_stage(self.case, Stage.awaiting_city)
        self._confirmed_place = place
        self._city_confirmed = True
        target = place or (self.case.source_site.place if self.case.source_site else None)
        self.record(
            "city confirmed and re-dispatched",
            actor=actor_label(command.actor),
            note=f"to {target.district_name if target else '?'} {target.street_name if target else ''}; {command.note}",
        )
        return self.case

    @confirm_cross_district.validator
    def _validate_confirm(self, command: ConfirmCrossDistrictCommand) -> None:
        authority.require_stage(self.case, Stage.awaiting_city)
        authority.require_city(command.actor)

    @workflow.update
    def accept(self, command: AcceptCommand) -> CaseStatus:
        self._accepted = True
        self.record("officer accepted", actor=actor_label(command.actor), note=command.note)
        return self.case

    @accept.validator
    def _validate_accept(self, command: AcceptCommand) -> None:
        authority.require_stage(self.case, Stage.awaiting_response)
        authority.require_assigned_officer(self.case, command.actor)

    @workflow.update
    def report_disposal(self, command: DisposalCommand) -> CaseStatus:
        self.case.disposal = command.report
        self.record("disposal reported", actor=actor_label(command.actor), note=command.report.outcome)
        return self.case

    @report_disposal.validator
    def _validate_disposal(self, command: DisposalCommand) -> None:
        authority.require_stage(self.case, Stage.disposing)
        authority.require_assigned_officer(self.case, command.actor)

    @workflow.update
    def verify(self, command: VerifyCommand) -> CaseStatus:
        self._verified = True
        self.record("district verified", actor=actor_label(command.actor), note=command.note)
        return self.case

    @verify.validator
    def _validate_verify(self, command: VerifyCommand) -> None:
        authority.require_stage(self.case, Stage.verifying)
        authority.require_district_of_case(self.case, command.actor)

    @workflow.update
    def return_case(self, command: ReturnCommand) -> CaseStatus:
        self._returned = True
        self.case.returns += 1
        self.case.disposal = None
        self.record("returned to officer", actor=actor_label(command.actor), note=command.reason)
        return self.case

    @return_case.validator
    def _validate_return(self, command: ReturnCommand) -> None:
        authority.require_stage(self.case, Stage.verifying)
        authority.require_district_of_case(self.case, command.actor)

    @workflow.update
    async def transfer(self, command: TransferCommand) -> CaseStatus:
        place = await self._street(command.street_code)
        authority.require_stage(self.case, Stage.awaiting_response, Stage.disposing)
        self._transfer_to = place
        self.record(
            "transferred", actor=actor_label(command.actor), note=f"to {place.street_name} ({place.street_code}); {command.note}"
        )
        return self.case

    @transfer.validator
    def _validate_transfer(self, command: TransferCommand) -> None:
        authority.require_stage(self.case, Stage.awaiting_response, Stage.disposing)
        authority.require_district_of_case(self.case, command.actor)
        current = self.case.responsible.street_code if self.case.responsible else None
        if command.street_code == current:
            raise authority.Refused(f"case is already with street {current}")

    # --- helpers --------------------------------------------------------------------

    def _camera(self) -> Place:
        assert self.case.camera is not None, "detection sets the camera place"
        return self.case.camera

    def _take_transfer(self, street: Place) -> Place:
        target, self._transfer_to = self._transfer_to, None
        return target or street

    async def _street(self, street_code: str) -> Place:
        try:
            return await workflow.execute_local_activity_method(
                DirectoryActivities.street_place,
                StreetLookup(street_code=street_code),
                start_to_close_timeout=LOCAL_TIMEOUT,
                retry_policy=ACTIVITY_RETRY,
            )
        except ActivityError as err:
            raise ApplicationError(_reason(err), type="UnknownReference", non_retryable=True) from err

    async def _site(self, site_id: str, found_by: str) -> SourceSite:
        try:
            return await workflow.execute_activity_method(
                TriageActivities.site_by_id,
                SiteById(site_id=site_id, found_by=found_by),
                task_queue=task_queues.DISTRICT,
                start_to_close_timeout=ACTIVITY_TIMEOUT,
                retry_policy=ACTIVITY_RETRY,
            )
        except ActivityError as err:
            raise ApplicationError(_reason(err), type="UnknownReference", non_retryable=True) from err


def _reason(err: ActivityError) -> str:
    cause = err.cause
    return cause.message if isinstance(cause, ApplicationError) else str(cause or err)

