"""Chinese licence plates (车牌) in one canonical spelling: 渝A·12345.

Cameras, permits and staff write plates in many ways (渝A12345, 渝a 12345, 渝A-12345);
matching a sighting to a transport permit only works if both sides use one form.
"""

import re

_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE = re.compile(
    rf"^(?P<province>[{_PROVINCES}])(?P<authority>[A-Z])(?P<serial>[A-HJ-NP-Z0-9]{{5,6}})$"
)
_SEPARATORS = re.compile(r"[\s·•.\-_]")


class InvalidPlate(ValueError):
    pass


def normalise_plate(raw: str) -> str:
    """Return the 渝A·12345 form or raise InvalidPlate saying what is wrong."""
    compact = _SEPARATORS.sub("", raw.strip()).upper()
    match = _PLATE.match(compact)
    if not match:
        raise InvalidPlate(
            f"{raw!r} is not a Chinese plate (expected e.g. 渝A·12345: province character, "
            "authority letter, 5 or 6 letters/digits without I or O)"
        )
    return f"{match['province']}{match['authority']}·{match['serial']}"
