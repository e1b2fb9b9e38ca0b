"""Prometheus `/metrics` for the API: requests by route and status, their latency, and the
case counters intake sees (cases opened vs sightings joined to an open case).

One registry per app, so several apps in one process (the tests) never collide. The
workers' own endpoints carry the SDK and workflow metrics (workers/metrics.py).
"""

import time

from fastapi import FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class ApiMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "onething_http_requests", "HTTP requests", ["method", "route", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "onething_http_request_seconds", "HTTP request latency", ["method", "route"],
            buckets=LATENCY_BUCKETS, registry=self.registry,
        )
        self.sightings = Counter(
            "onething_sightings", "sightings accepted at intake", ["scenario", "joined"], registry=self.registry
        )

    def sighting(self, scenario: str, joined: bool) -> None:
        self.sightings.labels(scenario=scenario, joined=str(joined).lower()).inc()


def install_metrics(app: FastAPI) -> ApiMetrics:
    """Count every request under its route template (not the raw path: case ids are unbounded)."""
    metrics = ApiMetrics()
    app.state.metrics = metrics

    @app.middleware("http")
    async def measure(request: Request, call_next):
        started = time.perf_counter()
        response = await call_next(request)
        route, method = _route_of(request), request.method
        metrics.latency.labels(method=method, route=route).observe(time.perf_counter() - started)
        metrics.requests.labels(method=method, route=route, status=str(response.status_code)).inc()
        return response

    @app.get("/metrics", include_in_schema=False)
    def prometheus_metrics() -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return metrics


def _route_of(request: Request) -> str:
    """The matched route's template; the router records it in the scope while routing."""
    route = request.scope.get("route")
    return getattr(route, "path", "unmatched")
