"""Authorisation: which caller may see, list and act on which case, checked by the API
before anything reaches a workflow (a refusal is a 403 with this module's reason).

The jurisdiction rules are the ones the workflow validators run (workflows/blocks/
authority.py), applied here to the case's current status, so the API and the workflow
never disagree; the validators stay as the second line against a case that changed in
between (their refusal is a 409). What only the API knows is the caller's token.
"""

from collections.abc import Callable

from api.schemas import Action
from models.auth import Principal
from models.case import Actor, CaseStatus, Role, Tier
from workflows.blocks import authority
from workflows.blocks.authority import Refused

ACTION_RULES: dict[Action, Callable[[CaseStatus, Actor], None]] = {
    Action.accept: authority.require_assigned_officer,
    Action.report_disposal: authority.require_assigned_officer,
    Action.verify: authority.require_district_of_case,
    Action.return_case: authority.require_district_of_case,
    Action.transfer: authority.require_district_of_case,
    Action.triage: authority.require_district_of_case,
    Action.confirm_cross_district: lambda _case, actor: authority.require_city(actor),
}


def case_refusal(principal: Principal, case: CaseStatus) -> str | None:
    """Why `principal` may not see `case` (None: it may). The city sees every case; a
    district its responsible or camera district's; a street its responsible street's;
    an officer the cases assigned to them; a camera key none."""
    actor = principal.actor()
    try:
        if principal.role is Role.district:
            authority.require_district_of_case(case, actor)
        elif principal.role is Role.officer:
            authority.require_assigned_officer(case, actor)
        elif principal.role is Role.street:
            _require_street_of_case(case, actor)
        elif principal.role is not Role.city:
            raise Refused(f"a {principal.role.value} key only reports sightings; it cannot read cases")
    except Refused as refusal:
        return str(refusal)
    return None


def action_refusal(principal: Principal, action: Action, case: CaseStatus) -> str | None:
    """Why `principal` may not take `action` on `case`: out of scope, or not their step."""
    if reason := case_refusal(principal, case):
        return reason
    try:
        ACTION_RULES[action](case, principal.actor())
    except Refused as refusal:
        return f"{action.value}: {refusal}"
    return None


def event_refusal(principal: Principal, camera_id: str) -> str | None:
    """A sighting comes from a camera key, for that key's own camera only."""
    if principal.role is not Role.camera:
        return f"only a camera key reports sightings, not a {principal.role.value} user"
    if principal.camera != camera_id:
        return f"camera key {principal.camera} cannot report sightings for camera {camera_id}"
    return None


def list_scope(principal: Principal) -> dict[str, str]:
    """The case-list filters a caller is confined to (visibility search attributes).
    Raises `Refused` for callers who may list nothing."""
    if principal.role is Role.city:
        return {}
    if principal.role is Role.district:
        return {"district": principal.unit}
    if principal.role is Role.street:
        return {"street": principal.unit}
    if principal.role is Role.officer:
        return {"officer": principal.sub}
    raise Refused(f"a {principal.role.value} key only reports sightings; it cannot list cases")


def report_refusal(principal: Principal, tier: Tier, code: str, district_code: str | None) -> str | None:
    """Service-level reports: the city reads every tier; a district its own report and its
    streets'; a street its own. `district_code` is the district the report's unit lies in."""
    if principal.role is Role.city:
        return None
    if principal.role is Role.district and district_code == principal.unit:
        return None
    if principal.role is Role.street and tier is Tier.street and code == principal.unit:
        return None
    own = f" (ask for your own: {principal.role.value}={principal.unit})" if principal.unit else ""
    return f"a {principal.role.value} user cannot read the {tier.value} report of {code}{own}"


def _require_street_of_case(case: CaseStatus, actor: Actor) -> None:
    street = case.responsible.street_code if case.responsible else None
    if street != actor.unit_code:
        raise Refused(f"street {actor.unit_code} has no jurisdiction over case {case.case_id} (responsible street {street})")
