"""What GET /healthz answers, for load balancers, the Docker health check and Kubernetes probes.

A process is healthy when every check it registered passes. `winsbot serve` over HTTP has none:
if it answers, it is up. In Socket Mode it needs its WebSocket to Slack, since without it no
/wins reaches it; `winsbot worker` needs its digest scheduler running. A failing check answers
503 with the reasons as JSON, so whatever probes the process can say why it failed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

# A check answers None when healthy, or the reason it is not, in words for an operator.
Check = Callable[[], Awaitable[str | None]]


class Health:
    """The checks one process registered, and the report /healthz answers with."""

    def __init__(self) -> None:
        self._checks: dict[str, Check] = {}

    def add(self, name: str, check: Check) -> None:
        self._checks[name] = check

    async def report(self) -> tuple[int, dict[str, object]]:
        """(HTTP status, JSON body): 200 ``{"ok": true}``, or 503 with the failing reasons."""
        if not self._checks:
            return 200, {"ok": True}
        results = {name: await check() for name, check in self._checks.items()}
        failing = {name: reason for name, reason in results.items() if reason is not None}
        checks = {name: results[name] or "ok" for name in results}
        if not failing:
            return 200, {"ok": True, "checks": checks}
        return 503, {"ok": False, "reason": "; ".join(failing.values()), "checks": checks}
