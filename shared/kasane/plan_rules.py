"""プランの決まり — what an アウトリーチ等事業プラン and a 参加支援事業プラン state, made or revised:
at least one goal (目標) and review dates (見直し時期) after the day. Plain Python: domains use it;
each raises its own rule violation."""
from __future__ import annotations

from datetime import date


def check_plan(goals: list, review_dates: list, on: date, violation: type[Exception]) -> list[date]:
    """The plan's review dates, sorted and each once; or `violation` saying what the plan lacks."""
    if not [g for g in goals if g and g.strip()]:
        raise violation("a plan states at least one goal (目標)")
    dates = sorted(set(review_dates))
    if not dates:
        raise violation("a plan sets at least one review date (見直し時期)")
    if dates[0] <= on:
        raise violation("review dates fall after the day the plan is made or revised")
    return dates
