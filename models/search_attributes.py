"""Typed search attributes every case carries, so ops can filter in the Temporal UI
(e.g. `OneThingStage = 'awaiting_response' AND OneThingBreached = true`).

`onething dev` and `onething temporal register-search-attributes` register exactly these.
"""

from temporalio.common import SearchAttributeKey

SCENARIO = SearchAttributeKey.for_keyword("OneThingScenario")
STAGE = SearchAttributeKey.for_keyword("OneThingStage")
TIER = SearchAttributeKey.for_keyword("OneThingTier")
DISTRICT = SearchAttributeKey.for_keyword("OneThingDistrict")
STREET = SearchAttributeKey.for_keyword("OneThingStreet")
OFFICER = SearchAttributeKey.for_keyword("OneThingOfficer")
PLATE = SearchAttributeKey.for_keyword("OneThingPlate")
BREACHED = SearchAttributeKey.for_bool("OneThingBreached")
LEVEL = SearchAttributeKey.for_keyword("OneThingLevel")
"""Alert level where a scenario has one: a rainstorm warning's colour, a crowd's warn/restrict/evacuate."""
RESPONSE_DUE = SearchAttributeKey.for_datetime("OneThingResponseDue")
DISPOSAL_DUE = SearchAttributeKey.for_datetime("OneThingDisposalDue")
"""When the case's work is due: a muck-truck disposal, a risk point's patrol."""

ALL = (
    SCENARIO,
    STAGE,
    TIER,
    DISTRICT,
    STREET,
    OFFICER,
    PLATE,
    BREACHED,
    LEVEL,
    RESPONSE_DUE,
    DISPOSAL_DUE,
)
