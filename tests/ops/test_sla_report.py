"""The SLA endpoint on a seeded history whose answers are worked out by hand.

Eight cases are written straight into the store with known timestamps (three streets of
two districts; on time, late, overdue and still-pending work; a dismissal; one case
outside the window and one closed after it), then the report is read through the API at
each tier. The expected figures below follow the definitions in docs/ops.md.
"""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import pytest_asyncio

from api.app import create_app
from models.auth import bearer, signing_key
from models.case import Role
from models.settings import Settings
from models.sla import CaseMilestones, Resolution
from models.store import session_scope
from models.store.engine import make_engine
from models.store.migrate import upgrade
from models.store.milestones import save_milestones
from tests.casebook import JIULONGPO, SHAPINGBA, XIAOLONGKAN, XIEJIAWAN, YANGJIAPING, load_casebook

T0 = datetime(2026, 2, 10, tzinfo=UTC)
SINCE, UNTIL = datetime(2026, 2, 1, tzinfo=UTC), datetime(2026, 3, 1, tzinfo=UTC)
S, M, D = timedelta(seconds=1), timedelta(minutes=1), timedelta(days=1)
WINDOW = {"since": SINCE.isoformat(), "until": UNTIL.isoformat()}


def case(case_id: str, street: str, received: datetime, *, assign=None, respond=None, dispose=None, close=None, dismiss=None):
    """Offsets: assign from receipt, respond from assignment, dispose from response, close from receipt."""
    assigned = received + assign if assign is not None else None
    responded = assigned + respond if respond is not None else None
    disposed = responded + dispose if dispose is not None else None
    resolved = received + (close if close is not None else dismiss) if (close or dismiss) else None
    return CaseMilestones(
        case_id=case_id,
        scenario="muck-truck",
        version=1,
        district_code=street[:6],
        street_code=street,
        received_at=received,
        assigned_at=assigned,
        responded_at=responded,
        disposed_at=disposed,
        resolved_at=resolved,
        resolution=Resolution.closed if close else Resolution.dismissed if dismiss else None,
        response_due=assigned + 30 * M if assigned else None,
        disposal_due=responded + 7 * D if responded else None,
    )


HISTORY = [
    case("c1", XIEJIAWAN, T0, assign=10 * S, respond=10 * M, dispose=2 * D, close=3 * D),  # all on time
    case("c2", XIEJIAWAN, T0, assign=20 * S, respond=40 * M, dispose=8 * D, close=10 * D),  # late twice
    case("c3", YANGJIAPING, T0, assign=30 * S, respond=5 * M),  # disposal overdue, open
    case("c4", YANGJIAPING, T0, assign=40 * S),  # response overdue, open
    case("c5", XIAOLONGKAN, T0, dismiss=5 * S),  # dismissed (不立案)
    case("c6", XIAOLONGKAN, UNTIL - 10 * M, assign=60 * S),  # response not yet due at `until`
    case("c7", XIEJIAWAN, SINCE - 10 * D, assign=S, respond=S, dispose=S, close=D),  # before the window
    case("c8", XIEJIAWAN, T0 + 10 * D, assign=50 * S, respond=20 * M, dispose=5 * D, close=21 * D),  # closed after `until`
]


@pytest_asyncio.fixture
async def api(backend: str, create_database, dev_env, tmp_path) -> AsyncIterator[httpx.AsyncClient]:
    url = create_database(backend)
    upgrade(url)
    engine = make_engine(url)
    load_casebook(engine)
    with session_scope(engine) as session:
        save_milestones(session, HISTORY)
    engine.dispose()
    settings = Settings(
        home=tmp_path / "home", database_url=url, temporal_address=dev_env.client.service_client.config.target_host
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        city = bearer(signing_key(settings), sub="city-duty", role=Role.city)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://onething.test", headers=city) as client:
            yield client


async def sla(api, **params) -> dict:
    response = await api.get("/v1/metrics/sla", params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def test_city_figures_and_district_breakdown(api):
    report = await sla(api, **WINDOW)
    assert report["scope"]["tier"] == "city" and report["as_of"].startswith("2026-03-01T00:00:00")
    city = report["scope"]["figures"]
    assert (city["received"], city["dismissed"], city["filed"], city["closed"], city["open"]) == (7, 1, 6, 2, 4)
    assert city["closure_rate"] == pytest.approx(2 / 6)
    assert city["response"] == {"on_time": 3, "late": 1, "overdue_open": 1, "rate": 0.6}
    assert city["disposal"] == {"on_time": 2, "late": 1, "overdue_open": 1, "rate": 0.5}
    assert city["time_to_assign"] == {"count": 6, "median_s": 35.0, "p90_s": 55.0}
    assert city["time_to_respond"] == {"count": 4, "median_s": 900.0, "p90_s": pytest.approx(2040.0)}
    assert city["time_to_dispose"] == {"count": 3, "median_s": 432000.0, "p90_s": pytest.approx(639360.0)}
    assert city["time_to_close"] == {"count": 2, "median_s": 561600.0, "p90_s": pytest.approx(803520.0)}

    rows = {row["code"]: row for row in report["breakdown"]}
    assert list(rows) == [SHAPINGBA, JIULONGPO] and rows[JIULONGPO]["name"] == "九龙坡区"
    spb, jlp = rows[SHAPINGBA]["figures"], rows[JIULONGPO]["figures"]
    assert (spb["received"], spb["dismissed"], spb["closed"], spb["closure_rate"]) == (2, 1, 0, 0.0)
    assert spb["response"]["rate"] is None, "nothing was due yet: no rate rather than a flattering one"
    assert (jlp["received"], jlp["closed"], jlp["closure_rate"]) == (5, 2, 0.4)
    assert jlp["response"]["rate"] == 0.6


async def test_district_drills_down_to_its_streets(api):
    report = await sla(api, district=JIULONGPO, **WINDOW)
    assert report["scope"] == {**report["scope"], "tier": "district", "code": JIULONGPO, "name": "九龙坡区"}
    rows = {row["code"]: row for row in report["breakdown"]}
    assert list(rows) == [YANGJIAPING, XIEJIAWAN] and rows[XIEJIAWAN]["name"] == "谢家湾街道"
    yjp = rows[YANGJIAPING]["figures"]
    assert (yjp["received"], yjp["closed"], yjp["open"]) == (2, 0, 2)
    assert yjp["response"] == {"on_time": 1, "late": 0, "overdue_open": 1, "rate": 0.5}
    assert yjp["disposal"] == {"on_time": 0, "late": 0, "overdue_open": 1, "rate": 0.0}

    street = await sla(api, tier="street", street=XIEJIAWAN, **WINDOW)
    figures = street["scope"]["figures"]
    assert street["breakdown"] == [] and street["scope"]["name"] == "谢家湾街道"
    assert (figures["received"], figures["closed"], figures["closure_rate"]) == (3, 2, pytest.approx(2 / 3))
    assert figures["response"]["rate"] == figures["disposal"]["rate"] == pytest.approx(2 / 3)


async def test_without_until_cases_are_judged_as_they_stand_now(api):
    city = (await sla(api, since=SINCE.isoformat()))["scope"]["figures"]
    assert (city["received"], city["closed"], city["closure_rate"]) == (7, 3, 0.5), "c8 has closed since"
    assert city["response"] == {"on_time": 3, "late": 1, "overdue_open": 2, "rate": 0.5}, "c6 is now overdue"
    everything = (await sla(api))["scope"]["figures"]
    assert everything["received"] == 8


async def test_scope_mistakes_are_refused(api):
    for params, reason in [
        ({"tier": "district"}, "needs district"),
        ({"tier": "city", "district": JIULONGPO}, "takes no district"),
        ({"street": "500107999"}, "unknown street"),
        ({"district": SHAPINGBA, "street": XIEJIAWAN}, "not in district"),
        ({"since": UNTIL.isoformat(), "until": SINCE.isoformat()}, "before until"),
    ]:
        response = await api.get("/v1/metrics/sla", params=params)
        assert response.status_code == 422 and reason in response.json()["detail"], (params, response.text)
    assert (await api.get("/v1/metrics/sla", params={"since": "2026-02-01T00:00:00"})).status_code == 422, "naive time"
