"""Source-site triage (研判): which construction site (源头工地) did this truck load at?

The fast path is the truck's transport permit (运输许可) valid at the moment it was seen;
when there is none, the district centre names the site by hand and this activity checks
that the site exists.
"""

from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.logs import case_logger
from activities.places import place_of
from models.case import SourceSite
from models.steps import SiteById, SiteLookup
from models.store import ConstructionSite, TransportPermit


class TriageActivities:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @activity.defn(name="find_source_site")
    def find_source_site(self, lookup: SiteLookup) -> SourceSite | None:
        log = case_logger("triage")
        with Session(self.engine) as session:
            permits = session.exec(
                select(TransportPermit)
                .where(TransportPermit.plate == lookup.plate, TransportPermit.status == "active")
                .order_by(TransportPermit.valid_from.desc())
            ).all()
            permit = next((p for p in permits if p.valid_from <= lookup.at < p.valid_until), None)
            if permit is None:
                log.info("no valid permit", plate=lookup.plate, permits_on_file=len(permits))
                return None
            site = session.get(ConstructionSite, permit.site_id)
            assert site is not None, "permits reference existing sites (foreign key)"
            log.info("source site by permit", plate=lookup.plate, permit=permit.id, site=site.id)
            return SourceSite(
                site_id=site.id,
                site_name=site.name,
                permit_id=permit.id,
                place=place_of(session, site.lon, site.lat, site.street_code),
                found_by="permit",
            )

    @activity.defn(name="site_by_id")
    def site_by_id(self, request: SiteById) -> SourceSite:
        with Session(self.engine) as session:
            site = session.get(ConstructionSite, request.site_id)
            if site is None:
                raise ApplicationError(
                    f"construction site {request.site_id} is not in the registry", type="UnknownReference", non_retryable=True
                )
            return SourceSite(
                site_id=site.id,
                site_name=site.name,
                permit_id=None,
                place=place_of(session, site.lon, site.lat, site.street_code),
                found_by=request.found_by,
            )
