"""Sample 风险点 risk points in every 区县 district, as a rainstorm warning would find them.

The mix follows the terrain: in the nine central districts underpasses and low-lying
roads flood first, elsewhere slopes above villages (地质灾害隐患点) dominate; riverside
points are everywhere, Chongqing being built along the Yangtze and the Jialing. Points
sit near a street's seat (where people live) and resolve to the street they are recorded
in, so a warning's area selects exactly what the resolver says lies inside it.
"""

import random

from models.store.risk_points import RISK_POINT_KIND_ZH, RiskPoint, RiskPointKind
from models.store.samples.names import SAMPLE_PREFIX
from models.store.samples.places import Geography
from models.store.samples.sites import MAIN_URBAN_WEIGHTS, district_weight

BASE_POINTS_PER_DISTRICT = 20
POINTS_PER_WEIGHT = 10
POSITION_RADIUS_M = 1_500.0
URBAN_MIX = {
    RiskPointKind.underpass: 30,
    RiskPointKind.low_lying_road: 35,
    RiskPointKind.riverside: 20,
    RiskPointKind.geological_hazard: 15,
}
OUTLYING_MIX = {
    RiskPointKind.geological_hazard: 50,
    RiskPointKind.low_lying_road: 20,
    RiskPointKind.riverside: 25,
    RiskPointKind.underpass: 5,
}
AT_RISK = {
    RiskPointKind.geological_hazard: "坡下住户{n}户",
    RiskPointKind.low_lying_road: "积水深度可达{n}0厘米",
    RiskPointKind.underpass: "下穿道限高{n}米，易积水",
    RiskPointKind.riverside: "沿岸商户{n}家",
}


def risk_points(rng: random.Random, geography: Geography) -> list[RiskPoint]:
    rows = []
    per_street: dict[str, int] = {}
    for district_code, streets in geography.streets_by_district.items():
        mix = URBAN_MIX if district_code in MAIN_URBAN_WEIGHTS else OUTLYING_MIX
        kinds, weights = list(mix), list(mix.values())
        count = BASE_POINTS_PER_DISTRICT + POINTS_PER_WEIGHT * (district_weight(district_code) - 1)
        for _ in range(count):
            kind = rng.choices(kinds, weights)[0]
            point = geography.point_near(rng, rng.choice(streets), POSITION_RADIUS_M)
            point = point or geography.point_in_district(rng, district_code)
            street = geography.streets[point.location.street_code]
            per_street[street.code] = per_street.get(street.code, 0) + 1
            number = per_street[street.code]
            rows.append(
                RiskPoint(
                    id=f"SAMPLE-RP-{street.code}-{number:02d}",
                    name=f"{SAMPLE_PREFIX}风险点·{street.name}{RISK_POINT_KIND_ZH[kind]}{number:02d}",
                    kind=kind.value,
                    district_code=district_code,
                    street_code=street.code,
                    lon=point.lon,
                    lat=point.lat,
                    note=AT_RISK[kind].format(n=rng.randint(2, 9)),
                    sample=True,
                )
            )
    return rows
