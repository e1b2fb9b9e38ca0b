"""Jurisdiction lookups per second on one core: the article's "millisecond automatic dispatch".

Single `locate` calls are timed on 20,000 seeded random points, once drawn uniformly over
Chongqing's bounding box (about 40 % land inside the city; the rest raise
OutsideChongqing) and once drawn only inside the city; then one 10,000-point
`locate_many` batch. Each timing is the best of three runs, to keep scheduler noise out.
"""

import json
import os
import platform
import random
import time
from pathlib import Path

from models.geo.resolver import JurisdictionResolver, OutsideChongqing

RESULTS_DIR = Path(__file__).resolve().parent / "results"
SINGLE_POINTS = 20_000
BATCH_POINTS = 10_000
REPEATS = 3
SEED = 20240821
BBOX = (105.28, 28.16, 110.20, 32.21)


def _bbox_points(rng: random.Random, count: int) -> list[tuple[float, float]]:
    minx, miny, maxx, maxy = BBOX
    return [(rng.uniform(minx, maxx), rng.uniform(miny, maxy)) for _ in range(count)]


def _inside_points(resolver: JurisdictionResolver, rng: random.Random, count: int) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    while len(points) < count:
        points.extend(point for point in _bbox_points(rng, count) if resolver.locate_many([point])[0] is not None)
    return points[:count]


def _single_rate(resolver: JurisdictionResolver, points: list[tuple[float, float]]) -> float:
    best = float("inf")
    for _ in range(REPEATS):
        started = time.perf_counter()
        for lon, lat in points:
            try:
                resolver.locate(lon, lat)
            except OutsideChongqing:
                pass
        best = min(best, time.perf_counter() - started)
    return len(points) / best


def _batch_seconds(resolver: JurisdictionResolver, points: list[tuple[float, float]]) -> float:
    best = float("inf")
    for _ in range(REPEATS):
        started = time.perf_counter()
        resolver.locate_many(points)
        best = min(best, time.perf_counter() - started)
    return best


def run() -> dict:
    started = time.perf_counter()
    resolver = JurisdictionResolver()
    startup_s = time.perf_counter() - started
    rng = random.Random(SEED)
    mixed = _bbox_points(rng, SINGLE_POINTS)
    inside = _inside_points(resolver, rng, SINGLE_POINTS)
    batch = _inside_points(resolver, rng, BATCH_POINTS)
    batch_s = _batch_seconds(resolver, batch)
    figures = {
        "single_inside_per_s": round(_single_rate(resolver, inside), 1),
        "single_bbox_mix_per_s": round(_single_rate(resolver, mixed), 1),
        "batch_10k_ms": round(batch_s * 1000, 1),
        "batch_points_per_s": round(BATCH_POINTS / batch_s, 1),
        "startup_ms": round(startup_s * 1000, 1),
        "machine": {"python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count()},
    }
    _write(figures)
    return figures


def _write(figures: dict) -> None:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / "locate.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    machine = figures["machine"]
    lines = [
        "# Jurisdiction lookup benchmark",
        "",
        f"One core, Python {machine['python']} on {machine['machine']}; best of {REPEATS} runs; seed {SEED}.",
        "",
        "| metric | value |",
        "| --- | --- |",
        f"| single `locate`, {SINGLE_POINTS:,} points inside Chongqing | {figures['single_inside_per_s']:,.0f} lookups/s |",
        f"| single `locate`, {SINGLE_POINTS:,} points over the bounding box (~60 % outside) | {figures['single_bbox_mix_per_s']:,.0f} lookups/s |",
        f"| `locate_many`, {BATCH_POINTS:,} points inside Chongqing | {figures['batch_10k_ms']:,.1f} ms ({figures['batch_points_per_s']:,.0f} points/s) |",
        f"| resolver start-up (load data, build grid) | {figures['startup_ms']:,.0f} ms |",
        "",
    ]
    (RESULTS_DIR / "locate.md").write_text("\n".join(lines), encoding="utf-8")
