from datetime import UTC, datetime, time, timedelta

import pytest

from models.store.registry import CHONGQING_TZ, TransportPermit


def permit(**changes) -> TransportPermit:
    fields = dict(
        id="P1", plate="渝A·12345", site_id="S1", company="c", route="{}",
        valid_from=datetime(2026, 1, 1, tzinfo=CHONGQING_TZ),
        valid_until=datetime(2026, 3, 1, tzinfo=CHONGQING_TZ),
        permitted_start=time(22, 0), permitted_end=time(6, 0), status="active",
    )
    return TransportPermit(**(fields | changes))


def at(hour: int, minute: int = 0, day: int = 10) -> datetime:
    return datetime(2026, 1, day, hour, minute, tzinfo=CHONGQING_TZ)


@pytest.mark.parametrize(
    ("moment", "allowed"),
    [(at(23), True), (at(2), True), (at(5, 59), True), (at(6), False), (at(14), False), (at(22), True)],
)
def test_night_window_wraps_midnight(moment, allowed):
    assert permit().allows(moment) is allowed


def test_hours_are_read_in_chongqing_time_whatever_zone_the_moment_is_in():
    assert permit().allows(at(23).astimezone(UTC))  # 15:00 UTC
    assert not permit().allows(at(13).astimezone(UTC))  # 05:00 UTC, inside 22–06 only in UTC


def test_day_window_does_not_wrap():
    day = permit(permitted_start=time(9, 0), permitted_end=time(16, 0))
    assert day.allows(at(10)) and not day.allows(at(23))


def test_expired_and_revoked_permits_allow_nothing():
    assert not permit().allows(at(23, day=1) + timedelta(days=70))
    assert not permit(status="revoked").allows(at(23))
