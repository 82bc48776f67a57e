"""Dates as documents write them: 和暦 with 西暦, in Japan time (令和7年(2025年)4月1日)."""
from __future__ import annotations

from datetime import date, datetime

from kasane.clock import JST, parse_time

REIWA, HEISEI = date(2019, 5, 1), date(1989, 1, 8)


def era_year(day: date) -> str:
    if day >= REIWA:
        return f"令和{_nen(day.year - 2018)}"
    if day >= HEISEI:
        return f"平成{_nen(day.year - 1988)}"
    return f"昭和{_nen(day.year - 1925)}"


def _nen(n: int) -> str:
    return "元年" if n == 1 else f"{n}年"


def wareki_date(day: date | str | None) -> str:
    if day is None or day == "":
        return ""
    if isinstance(day, str):
        day = parse_time(day).astimezone(JST).date() if "T" in day else date.fromisoformat(day)
    elif isinstance(day, datetime):
        day = day.astimezone(JST).date()
    return f"{era_year(day)}({day.year}年){day.month}月{day.day}日"


def wareki_moment(moment: datetime | str) -> str:
    if isinstance(moment, str):
        moment = parse_time(moment)
    local = moment.astimezone(JST)
    return f"{wareki_date(local.date())} {local:%H:%M}"


def wareki_month(month: str) -> str:
    """'2026-03' → 令和8年(2026年)3月."""
    year, number = (int(x) for x in month.split("-"))
    return f"{era_year(date(year, number, 1))}({year}年){number}月"


def parse_fiscal_year(text: str) -> int:
    """R7, 令和7, 令和7年度 or 2025 → 2025."""
    cleaned = text.strip().removesuffix("年度").removesuffix("年")
    for prefix in ("R", "r", "令和"):
        if cleaned.startswith(prefix) and cleaned[len(prefix):].isdigit():
            return 2018 + int(cleaned[len(prefix):])
    if cleaned.isdigit() and len(cleaned) == 4:
        return int(cleaned)
    raise ValueError(f"年度を読めません: {text!r}（例: R7 または 2025）")
