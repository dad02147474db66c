"""Request counts and latencies in Prometheus' text exposition format (no client library needed)."""
from __future__ import annotations

import threading
import time
from collections import defaultdict

from starlette.types import ASGIApp, Message, Receive, Scope, Send

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: dict[tuple[str, str, int], int] = defaultdict(int)
        self.latency: dict[tuple[str, str], list[float]] = {}  # bucket counts, then sum, then count
        self.counters: dict[str, int] = defaultdict(int)

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        with self._lock:
            self.requests[method, route, status] += 1
            cells = self.latency.setdefault((method, route), [0.0] * (len(BUCKETS) + 2))
            for i, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    cells[i] += 1
            cells[-2] += seconds
            cells[-1] += 1

    def count(self, name: str, amount: int = 1) -> None:
        with self._lock:
            self.counters[name] += amount

    def render(self, gauges: dict[str, tuple[str, float]]) -> str:
        """The exposition text; ``gauges`` maps a name to (help, value)."""
        lines = []
        for name, (help_text, value) in gauges.items():
            lines += [f"# HELP {name} {help_text}", f"# TYPE {name} gauge", f"{name} {value:g}"]
        with self._lock:
            for name, value in sorted(self.counters.items()):
                lines += [f"# TYPE {name} counter", f"{name} {value}"]
            lines += ["# HELP kg_http_requests_total HTTP requests by method, route and status.",
                      "# TYPE kg_http_requests_total counter"]
            for (method, route, status), value in sorted(self.requests.items()):
                lines.append(f'kg_http_requests_total{{method="{method}",route="{route}",status="{status}"}} {value}')
            lines += ["# HELP kg_http_request_duration_seconds HTTP request latency.",
                      "# TYPE kg_http_request_duration_seconds histogram"]
            for (method, route), cells in sorted(self.latency.items()):
                labels = f'method="{method}",route="{route}"'
                for bound, value in zip(BUCKETS, cells, strict=False):
                    lines.append(f'kg_http_request_duration_seconds_bucket{{{labels},le="{bound}"}} {value:g}')
                lines.append(f'kg_http_request_duration_seconds_bucket{{{labels},le="+Inf"}} {cells[-1]:g}')
                lines.append(f"kg_http_request_duration_seconds_sum{{{labels}}} {cells[-2]:.6f}")
                lines.append(f"kg_http_request_duration_seconds_count{{{labels}}} {cells[-1]:g}")
        return "\n".join(lines) + "\n"


class MetricsMiddleware:
    """Times every HTTP request; the route template (``/documents/{doc_id}``) keeps labels few."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = getattr(scope.get("route"), "path", None) or "(unmatched)"
            self.metrics.observe(scope["method"], route, status, time.perf_counter() - started)
