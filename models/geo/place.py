"""A point together with the jurisdiction that answers for it (区县, 镇街, handling unit).

The resolver answers with one (plus whether the street is approximate); a case records
one for its camera, its source site and the street responsible for it.
"""

from pydantic import BaseModel


class Place(BaseModel):
    lon: float
    lat: float
    district_code: str
    district_name: str
    street_code: str | None = None
    street_name: str | None = None
    handling_unit_code: str | None = None
