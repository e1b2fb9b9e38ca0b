"""Turn a point plus its recorded street into a `Place` with names, from the directory."""

from sqlmodel import Session

from models.case import Place
from models.store import DistrictRow, StreetRow


class UnknownStreet(LookupError):
    pass


def place_of(session: Session, lon: float, lat: float, street_code: str) -> Place:
    street = session.get(StreetRow, street_code)
    if street is None:
        raise UnknownStreet(f"street {street_code} is not in the directory")
    district = session.get(DistrictRow, street.district_code)
    return Place(
        lon=lon,
        lat=lat,
        district_code=street.district_code,
        district_name=district.name if district else street.district_code,
        street_code=street.code,
        street_name=street.name,
        handling_unit_code=street.handling_unit_code,
    )
