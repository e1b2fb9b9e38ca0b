"""Keep personal data (个人信息) out of logs: citizens' and officers' phone numbers, ID
numbers and names never reach a log line, whatever code logged them.

Fields whose name says they hold personal data are replaced; mainland mobile numbers and
resident ID numbers are masked inside any string value (e.g. a notification's text).
"""

import re
from typing import Any

PERSONAL_FIELDS = frozenset(
    {"phone", "mobile", "name", "officer_name", "citizen_name", "reporter", "id_card", "address", "contact"}
)
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_RESIDENT_ID = re.compile(r"(?<![\dXx])(\d{6})(\d{8})(\d{3}[\dXx])(?![\dXx])")


def mask(text: str) -> str:
    text = _RESIDENT_ID.sub(lambda m: f"{m[1]}********{m[3][-1]}", text)
    return _MOBILE.sub(lambda m: f"{m[1]}****{m[3]}", text)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {k: "[redacted]" if k in PERSONAL_FIELDS else _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def redact_personal_data(_logger, _name, event: dict) -> dict:
    """structlog processor; runs last before rendering so nothing slips past it."""
    return _clean(event)
