"""Sample 渣土车 muck trucks, their companies and 运输许可 transport permits.

The mix is chosen so every branch of triage happens: most permits valid, some expired,
some revoked, and some trucks with no permit at all. Permitted hours are night windows
(muck trucks are kept off the day-time roads), so a day-time sighting is itself a lead.
"""

import json
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from models.store.registry import CHONGQING_TZ, ConstructionSite, MuckTruck, TransportPermit
from models.store.samples.names import (
    ALL_AUTHORITIES,
    MAIN_URBAN_AUTHORITIES,
    company_name,
    plate,
)
from models.store.samples.places import Geography
from models.store.samples.sites import MAIN_URBAN_WEIGHTS, district_weight

TRUCKS_PER_SITE = 1.5
SITES_PER_COMPANY = 12
UNPERMITTED_SHARE = 0.10
EXPIRED_SHARE = 0.15
REVOKED_SHARE = 0.10
PERMITS_PER_SITE = (1, 4)
NIGHT_WINDOWS = (
    (time(22, 0), time(6, 0)),
    (time(21, 0), time(5, 0)),
    (time(23, 0), time(6, 0)),
    (time(22, 0), time(5, 30)),
)
# Spoil goes out of the centre to 消纳场 disposal grounds on the urban fringe.
DISPOSAL_DISTRICTS = ("500113", "500109", "500112", "500116", "500117", "500110")


@dataclass(frozen=True)
class Fleet:
    trucks: list[MuckTruck]
    permits: list[TransportPermit]


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), CHONGQING_TZ)


def _trucks(rng: random.Random, geography: Geography, sites: int) -> list[MuckTruck]:
    codes = list(geography.districts)
    weights = [district_weight(code) for code in codes]
    companies = []
    for index in range(max(3, round(sites / SITES_PER_COMPANY))):
        home = rng.choices(codes, weights)[0]
        companies.append((company_name(index, geography.districts[home].name), home))
    plates: set[str] = set()
    trucks = []
    while len(trucks) < max(4, round(sites * TRUCKS_PER_SITE)):
        company, home = rng.choice(companies)
        authorities = MAIN_URBAN_AUTHORITIES if home in MAIN_URBAN_WEIGHTS else ALL_AUTHORITIES
        candidate = plate(rng, authorities)
        if candidate in plates:
            continue
        plates.add(candidate)
        trucks.append(MuckTruck(plate=candidate, company=company, home_district_code=home, sample=True))
    return trucks


def _statuses(rng: random.Random, count: int) -> list[str]:
    """Fixed proportions (at least one of each), shuffled, so small seeds still cover every case."""
    expired = max(1, round(count * EXPIRED_SHARE))
    revoked = max(1, round(count * REVOKED_SHARE))
    statuses = ["expired"] * expired + ["revoked"] * revoked
    statuses += ["valid"] * (count - len(statuses))
    rng.shuffle(statuses)
    return statuses


def _validity(rng: random.Random, status: str, start: date) -> tuple[datetime, datetime]:
    if status == "expired":
        until = start - timedelta(days=rng.randint(1, 60))
        return _local_midnight(until - timedelta(days=rng.randint(60, 240))), _local_midnight(until)
    since = start - timedelta(days=rng.randint(10, 120))
    return _local_midnight(since), _local_midnight(start + timedelta(days=rng.randint(30, 180)))


def _route(rng: random.Random, geography: Geography, site: ConstructionSite) -> str:
    """Site → its street's seat → a disposal ground's street seat: a schematic, not a road."""
    seat = geography.streets[site.street_code]
    disposal = rng.choice(geography.streets_by_district[rng.choice(DISPOSAL_DISTRICTS)])
    coordinates = [[site.lon, site.lat], [seat.seat_lon, seat.seat_lat]]
    coordinates.append([disposal.seat_lon, disposal.seat_lat])
    return json.dumps({"type": "LineString", "coordinates": coordinates}, separators=(",", ":"))


def fleet(
    rng: random.Random, geography: Geography, sites: list[ConstructionSite], start: date
) -> Fleet:
    trucks = _trucks(rng, geography, len(sites))
    unpermitted = max(1, round(len(trucks) * UNPERMITTED_SHARE))
    permitted = trucks[unpermitted:]
    pairs = [
        (site, truck)
        for site in sites
        for truck in rng.sample(permitted, min(len(permitted), rng.randint(*PERMITS_PER_SITE)))
    ]
    permits = []
    for index, ((site, truck), status) in enumerate(zip(pairs, _statuses(rng, len(pairs)))):
        valid_from, valid_until = _validity(rng, status, start)
        hours_from, hours_to = rng.choice(NIGHT_WINDOWS)
        permits.append(
            TransportPermit(
                id=f"SAMPLE-PERMIT-{index + 1:05d}",
                plate=truck.plate,
                site_id=site.id,
                company=truck.company,
                valid_from=valid_from,
                valid_until=valid_until,
                permitted_start=hours_from,
                permitted_end=hours_to,
                route=_route(rng, geography, site),
                status="revoked" if status == "revoked" else "active",
                sample=True,
            )
        )
    return Fleet(trucks=trucks, permits=permits)
