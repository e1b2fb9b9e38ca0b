"""Directory lookups a workflow needs in milliseconds (run as local activities)."""

from sqlalchemy.engine import Engine
from sqlmodel import Session
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.places import UnknownStreet, place_of
from models.case import Place
from models.steps import StreetLookup
from models.store import StreetRow


class DirectoryActivities:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @activity.defn(name="street_place")
    def street_place(self, lookup: StreetLookup) -> Place:
        """A street as a place (its seat point), e.g. the target of a transfer."""
        with Session(self.engine) as session:
            street = session.get(StreetRow, lookup.street_code)
            try:
                if street is None:
                    raise UnknownStreet(f"street {lookup.street_code} is not in the directory")
                return place_of(session, street.seat_lon, street.seat_lat, street.code)
            except UnknownStreet as err:
                raise ApplicationError(str(err), type="UnknownReference", non_retryable=True) from err
