"""Who may do what to a case. Used by update validators, so a refusal records nothing.

The API authenticates the caller; the workflow still checks the actor against the case
itself (assigned officer, responsible street/district), because only the workflow knows
the case's current state.
"""

from models.case import Actor, CaseCore, CaseStatus, Role, Stage


class Refused(ValueError):
    """An update validator's refusal; its message is returned to the caller verbatim."""


def require_stage(status: CaseCore, *stages: Stage) -> None:
    if status.stage not in stages:
        allowed = ", ".join(stage.value for stage in stages)
        raise Refused(f"case {status.case_id} is in stage {status.stage.value}; this needs {allowed}")


def require_assigned_officer(status: CaseCore, actor: Actor) -> None:
    if actor.role is not Role.officer:
        raise Refused(f"only the assigned officer can do this, not a {actor.role.value} user")
    if status.officer is None or status.officer.officer_id != actor.id:
        holder = status.officer.officer_id if status.officer else "nobody"
        raise Refused(f"officer {actor.id} is not assigned to case {status.case_id} (assigned: {holder})")


def require_district_of_case(status: CaseStatus, actor: Actor) -> None:
    """District centre staff of the responsible district (the city may always act)."""
    if actor.role is Role.city:
        return
    if actor.role is not Role.district:
        raise Refused(f"this needs district or city staff, not a {actor.role.value} user")
    responsible = status.responsible.district_code if status.responsible else None
    camera = status.camera.district_code if status.camera else None
    if actor.unit_code not in {responsible, camera} - {None}:
        raise Refused(
            f"district {actor.unit_code} has no jurisdiction over case {status.case_id} "
            f"(responsible district {responsible})"
        )


def require_city(actor: Actor) -> None:
    if actor.role is not Role.city:
        raise Refused(f"only the city operations centre can do this, not a {actor.role.value} user")
