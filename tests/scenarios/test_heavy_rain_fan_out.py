"""A warning over 1,000 risk points: dispatched in batches, continued as new whenever the
history reaches the policy's limit, so no run's history grows with the number of points;
lifting it stands every patrol down and closes it."""

import time
from datetime import UTC, datetime

from models.case import Stage
from models.heavy_rain import HeavyRainPolicy, Lift, PointState, WarningArea, WarningLevel
from tests.casebook import JIULONGPO, SHAPINGBA
from tests.scenarios.heavy_rain_helpers import issue, warning_status
from tests.scenarios.scenebook import load_scenebook
from workflows.heavy_rain import HeavyRainWarningWorkflow

POINTS = 1_000
POLICY = HeavyRainPolicy(batch_size=100, history_limit=1_000)


async def test_a_thousand_risk_points_fan_out_with_bounded_history_per_run(stack):
    load_scenebook(stack.engine, risk_points=POINTS)
    started = time.monotonic()
    warning = await issue(stack, WarningArea(district_codes=[JIULONGPO, SHAPINGBA]), WarningLevel.red, points=POINTS, policy=POLICY, track=False)
    dispatched = await warning_status(warning, lambda s: s.dispatched == POINTS and s.stage is Stage.monitoring, timeout=240)
    assert dispatched.selected == POINTS
    await warning.signal(HeavyRainWarningWorkflow.lift, Lift(at=datetime.now(UTC)))
    # Polled, not awaited: awaiting a result lets the test server skip time, and the
    # unaccepted patrols' response ladders would fire before the lift reached them all.
    final = await warning_status(warning, lambda s: s.stage is Stage.closed, timeout=240)
    elapsed = time.monotonic() - started

    assert final.stage is Stage.closed
    assert final.counts[PointState.stood_down] == POINTS
    assert {district: by_state[PointState.stood_down] for district, by_state in final.by_district.items()} == {
        JIULONGPO: POINTS // 2,
        SHAPINGBA: POINTS // 2,
    }
    lengths = [*final.run_events, len((await warning.fetch_history()).events)]
    assert len(lengths) == final.runs > 1
    assert max(lengths) < 2 * POLICY.history_limit, lengths  # the limit plus one burst of signals
    print(f"\n{POINTS} risk points: {elapsed:.1f} s wall, {len(lengths)} runs, events per run {lengths}")
