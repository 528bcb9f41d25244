"""Bar charts drawn as SVG by the templates: this module only computes the geometry (numbers);
labels are written by the templates, escaped like any other text."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int


@dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[dict[str, Any]]  # {x, label} under the axis
    maximum: int
    unit: str  # day or month


def _month(value: str) -> str:
    return value[:7]


def time_series(rows: list[dict[str, Any]], count_key: str = "articles", max_days: int = 92) -> list[tuple[str, int]]:
    """Counts per day with the empty days filled in; per month when the dates span more than
    ``max_days`` days. Rows are {date: ISO day, <count_key>: n}; undated rows are left out."""
    dated = []
    for row in rows:
        try:
            dated.append((dt.date.fromisoformat(str(row["date"])[:10]), int(row[count_key])))
        except (ValueError, TypeError, KeyError):
            continue
    if not dated:
        return []
    dated.sort()
    first, last = dated[0][0], dated[-1][0]
    if (last - first).days <= max_days:
        counts = {day: 0 for day in (first + dt.timedelta(days=n) for n in range((last - first).days + 1))}
        for day, n in dated:
            counts[day] += n
        return [(day.isoformat(), n) for day, n in counts.items()]
    months: dict[str, int] = {}
    cursor = first.replace(day=1)
    while cursor <= last:
        months[cursor.isoformat()[:7]] = 0
        cursor = (cursor.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    for day, n in dated:
        months[day.isoformat()[:7]] += n
    return list(months.items())


def recent_days(rows: list[dict[str, Any]], days: int = 60) -> list[dict[str, Any]]:
    """The rows of the last ``days`` days before the latest dated one."""
    dated = [row for row in rows if _is_day(row.get("date"))]
    if not dated:
        return []
    latest = max(dt.date.fromisoformat(row["date"][:10]) for row in dated)
    cutoff = (latest - dt.timedelta(days=days - 1)).isoformat()
    return [row for row in dated if row["date"][:10] >= cutoff]


def _is_day(value: Any) -> bool:
    try:
        dt.date.fromisoformat(str(value)[:10])
        return True
    except ValueError:
        return False


def bar_chart(series: list[tuple[str, int]], width: int = 720, height: int = 160, label_room: int = 18, tick_count: int = 6) -> Chart:
    """Vertical bars for a time series, with a few date ticks under them."""
    if not series:
        return Chart(width, height, [], [], 0, "day")
    maximum = max(n for _, n in series) or 1
    plot_height = height - label_room
    step = width / len(series)
    bar_width = min(max(1.0, step * 0.8), 48.0)
    bars = []
    for index, (label, n) in enumerate(series):
        bar_height = plot_height * n / maximum
        bars.append(Bar(round(index * step + (step - bar_width) / 2, 2), round(plot_height - bar_height, 2), round(bar_width, 2),
                        round(bar_height, 2), label, n))
    every = max(1, len(series) // tick_count)
    ticks = [{"x": round(index * step + step / 2, 2), "label": label} for index, (label, _) in enumerate(series) if index % every == 0]
    unit = "month" if len(series[0][0]) == 7 else "day"
    return Chart(width, height, bars, ticks, maximum, unit)


def shares(rows: list[dict[str, Any]], count_key: str = "articles") -> list[dict[str, Any]]:
    """Rows with ``percent`` of the largest one, for horizontal bars."""
    largest = max((int(row[count_key]) for row in rows), default=0) or 1
    return [{**row, "percent": round(100 * int(row[count_key]) / largest, 1)} for row in rows]


__all__ = ["Bar", "Chart", "bar_chart", "shares", "time_series"]
