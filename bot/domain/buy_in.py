"""Leadership buy-in: which of our posts leaders responded to, who, and whether it is growing.

Pure: the use case reads reactions and replies (with what they were on) and the leadership
roster from the store; this turns them into a report with stable keys, for the CLI's
``--json``, its table, and the monthly note to the social team.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from bot.domain.formatting import plural

SignalKind = Literal["reaction", "reply"]
ItemKind = Literal["digest", "win", "pilot", "pilot_report"]


@dataclass(frozen=True, slots=True)
class Member:
    """A chat user counted as leadership (a leadership channel's member, or configured)."""

    user_id: str
    name: str | None = None


@dataclass(frozen=True, slots=True)
class SignalItem:
    """What a response was on: a digest (``ref`` its posted message), a win or a pilot's goal
    (win id), or a pilot's report (campaign id)."""

    kind: ItemKind
    ref: int | None
    label: str


@dataclass(frozen=True, slots=True)
class Signal:
    user_id: str
    user_name: str | None
    kind: SignalKind
    at: datetime
    item: SignalItem


@dataclass(frozen=True, slots=True)
class BuyInReport:
    since: datetime
    until: datetime
    leaders_known: int
    current: list[Signal]
    previous_count: int
    names: dict[str, str] = field(default_factory=dict)
    others: int = 0  # responses from people not (known as) leadership
    notes: tuple[str, ...] = ()

    @property
    def days(self) -> int:
        return max(1, round((self.until - self.since) / timedelta(days=1)))

    def name(self, user_id: str) -> str:
        return self.names.get(user_id) or user_id

    def items(self) -> list[dict[str, Any]]:
        grouped: dict[tuple[str, int | None, str], list[Signal]] = {}
        for signal in self.current:
            item = signal.item
            grouped.setdefault((item.kind, item.ref, item.label), []).append(signal)
        rows = []
        for (kind, ref, label), signals in grouped.items():
            kinds = Counter(s.kind for s in signals)
            people = sorted({s.user_id for s in signals}, key=self.name)
            rows.append(
                {
                    "kind": kind,
                    "win_id": ref if kind in ("win", "pilot") else None,
                    "campaign_id": ref if kind == "pilot_report" else None,
                    "label": label,
                    "reactions": kinds["reaction"],
                    "replies": kinds["reply"],
                    "leaders": [self.name(p) for p in people],
                    "last_at": max(s.at for s in signals).isoformat(),
                }
            )
        return sorted(rows, key=lambda r: (-(r["reactions"] + r["replies"]), r["label"]))

    def leaders(self) -> list[dict[str, Any]]:
        by_user: dict[str, list[Signal]] = {}
        for signal in self.current:
            by_user.setdefault(signal.user_id, []).append(signal)
        rows = []
        for user_id, signals in by_user.items():
            kinds = Counter(s.kind for s in signals)
            rows.append(
                {
                    "user_id": user_id,
                    "name": self.name(user_id),
                    "reactions": kinds["reaction"],
                    "replies": kinds["reply"],
                    "last_at": max(s.at for s in signals).isoformat(),
                }
            )
        return sorted(rows, key=lambda r: (-(r["reactions"] + r["replies"]), r["name"]))

    def weeks(self) -> list[dict[str, Any]]:
        """Responses per ISO week, every week of the period listed (quiet weeks as 0)."""
        counts = Counter(_week(s.at) for s in self.current)
        weeks: list[str] = []
        day = self.since
        while day < self.until + timedelta(days=1):
            moment = min(day, self.until - timedelta(microseconds=1))
            if _week(moment) not in weeks:
                weeks.append(_week(moment))
            day += timedelta(days=1)
        return [{"week": w, "responses": counts[w]} for w in weeks]

    def trend(self) -> dict[str, Any]:
        now, before = len(self.current), self.previous_count
        change = None if before == 0 else round(100 * (now - before) / before, 1)
        direction = "up" if now > before else "down" if now < before else "flat"
        return {
            "this_period": now,
            "previous_period": before,
            "change_percent": change,
            "direction": direction,
        }

    def as_json(self) -> dict[str, Any]:
        """The report with stable keys (documented in the README): scripts rely on them."""
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "days": self.days,
            "leaders_known": self.leaders_known,
            "responses": len(self.current),
            "other_responses": self.others,
            "items": self.items(),
            "leaders": self.leaders(),
            "weeks": self.weeks(),
            "trend": self.trend(),
            "notes": list(self.notes),
        }


def _week(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def compose(
    signals: list[Signal],
    *,
    leaders: list[Member],
    configured: frozenset[str],
    since: datetime,
    until: datetime,
    notes: tuple[str, ...] = (),
) -> BuyInReport:
    """The report for [since, until) from signals over [since - (until - since), until).

    Only leaders' responses count; everyone else's are a number (``other_responses``).
    """
    ids = {m.user_id for m in leaders} | set(configured)
    names = {m.user_id: m.name for m in leaders if m.name}
    for signal in signals:
        if signal.user_name and signal.user_id not in names:
            names[signal.user_id] = signal.user_name
    previous_since = since - (until - since)
    current = [s for s in signals if since <= s.at < until]
    return BuyInReport(
        since=since,
        until=until,
        leaders_known=len(ids),
        current=[s for s in current if s.user_id in ids],
        previous_count=sum(
            1 for s in signals if previous_since <= s.at < since and s.user_id in ids
        ),
        names=names,
        others=sum(1 for s in current if s.user_id not in ids),
        notes=notes,
    )


def note_text(report: BuyInReport, *, month: str) -> str:
    """The monthly note to the social team: plain words, the numbers, who and what."""
    trend = report.trend()
    if not report.current:
        return (
            f"Leadership buy-in, {month}: no reactions or replies from leaders on what winsbot "
            f"posted (previous month: {trend['previous_period']})."
        )
    change = trend["change_percent"]
    versus = (
        f"{'up' if change > 0 else 'down'} {abs(change):g}% on the month before"
        if change
        else f"{trend['previous_period']} the month before"
    )
    count = trend["this_period"]
    lines = [
        f"Leadership buy-in, {month}: {count} {plural(count, 'response')} from leaders ({versus})."
    ]
    people = report.leaders()
    lines.append(
        "Who engaged: "
        + ", ".join(f"{p['name']} ({p['reactions'] + p['replies']})" for p in people[:8])
        + (f" and {len(people) - 8} more" if len(people) > 8 else "")
        + "."
    )
    lines.append("What they responded to:")
    for item in report.items()[:5]:
        count = item["reactions"] + item["replies"]
        lines.append(f"• {item['kind']}: {item['label'][:140]} ({count})")
    return "\n".join(lines)
