"""年度別相談件数 — a seeded year of consultations across two 31 Marches, counted by a running
consultation instance the way the seeds' KPI tables count them (seed 004 §5(1): 新規 and 延べ
per agency; 003 ch.2-1 likewise): per fiscal year (April–March, Japan time), per agency,
channel and issue category."""
from collections import Counter
from datetime import date, timedelta

import pytest

from tests.samples import make_intake

pytestmark = pytest.mark.e2e

HOKATSU = {"agency_id": "fy-hokatsu", "name": "常盤平高齢者いきいき安心センター"}
KIKAN = {"agency_id": "fy-kikan", "name": "常盤平基幹相談支援センター ふれあい"}
CHANNELS = ["counter", "phone", "email", "line", "home_visit", "outreach_desk"]
CATEGORIES = [["care"], ["8050", "hikikomori"], ["poverty", "housing"], ["double_care"], []]

# (received at, fiscal year it belongs to, further contacts: (at, fiscal year)) — the boundary
# cases are spelled out; the rest is one consultation every 11 days through FY2025 (令和7年度).
BOUNDARY = [
    ("2025-03-31T23:59:00+09:00", 2024, []),
    ("2025-04-01T00:00:00+09:00", 2025, [("2025-04-01T10:00:00+09:00", 2025)]),
    ("2026-03-31T23:30:00+09:00", 2025, [("2026-04-01T09:00:00+09:00", 2026),
                                          ("2026-03-31T23:45:00+09:00", 2025)]),
    ("2026-03-31T15:00:00Z", 2026, [("2026-04-15T10:00:00+09:00", 2026)]),  # 4/1 00:00 JST
    ("2026-03-31T14:59:59Z", 2025, []),                                     # 3/31 23:59:59 JST
]


def seed() -> list[dict]:
    rows = []
    day = date(2025, 4, 3)
    while day < date(2026, 3, 31):
        contacts = [((day + timedelta(days=3)).isoformat() + "T14:00:00+09:00",
                     2025 if day + timedelta(days=3) < date(2026, 4, 1) else 2026)] * (len(rows) % 3)
        rows.append({"at": day.isoformat() + "T10:00:00+09:00", "fy": 2025, "contacts": contacts})
        day += timedelta(days=11)
    rows += [{"at": at, "fy": fy, "contacts": contacts} for at, fy, contacts in BOUNDARY]
    for i, row in enumerate(rows):
        row.update(agency=(HOKATSU, KIKAN)[i % 2], channel=CHANNELS[i % len(CHANNELS)],
                   categories=CATEGORIES[i % len(CATEGORIES)],
                   contact_channel=CHANNELS[(i + 1) % len(CHANNELS)])
    return rows


def expected(rows: list[dict], fiscal_year: int) -> dict:
    """Counted by hand from the seed: one line per intake or contact falling in the year."""
    lines = []
    for row in rows:
        if row["fy"] == fiscal_year:
            lines.append(("new", row["agency"]["agency_id"], row["channel"], row["categories"]))
        lines += [("contact", row["agency"]["agency_id"], row["contact_channel"], row["categories"])
                  for _, fy in row["contacts"] if fy == fiscal_year]
    count = lambda key: (Counter(k for line in lines if line[0] == "new" for k in key(line)),
                         Counter(k for line in lines for k in key(line)))
    return {"new": sum(line[0] == "new" for line in lines), "total": len(lines),
            "agency": count(lambda line: [line[1]]), "channel": count(lambda line: [line[2]]),
            "category": count(lambda line: line[3])}


def as_counters(lines: list[dict], key: str) -> tuple[Counter, Counter]:
    return (Counter({line[key]: line["new"] for line in lines if line["new"]}),
            Counter({line[key]: line["total"] for line in lines}))


@pytest.fixture(scope="module")
def counted(platform):
    desk = platform.instance("consultation", "fy-desk", organisation="org-fy", agencies=(HOKATSU, KIKAN))
    platform.start(desk)
    rows = seed()
    instance = desk.settings.instance
    with platform.rpc() as rpc:
        for row in rows:
            received = rpc[instance].receive_consultation(make_intake(
                agency=row["agency"], received_at=row["at"], channel=row["channel"],
                issue_categories=row["categories"], new_household=True))
            for at, _ in row["contacts"]:
                rpc[instance].record_contact({"consultation_id": received["consultation_id"],
                                              "contacted_at": at, "channel": row["contact_channel"],
                                              "caseworker_id": "sw-01"})
        answers = {fy: rpc[instance].fiscal_year_counts({"fiscal_year": fy}) for fy in (2024, 2025, 2026)}
        answers["kikan-2025"] = rpc[instance].fiscal_year_counts({"fiscal_year": 2025, "agency_id": "fy-kikan"})
    yield rows, answers
    platform.stop(desk)


@pytest.mark.parametrize("fiscal_year", [2024, 2025, 2026])
def test_new_and_total_per_agency_channel_and_category_match_the_seeded_year(counted, fiscal_year):
    rows, answers = counted
    got, want = answers[fiscal_year], expected(rows, fiscal_year)
    assert (got["new"], got["total"]) == (want["new"], want["total"])
    assert as_counters(got["by_agency"], "agency_id") == want["agency"]
    assert as_counters(got["by_channel"], "channel") == want["channel"]
    assert as_counters(got["by_category"], "category") == want["category"]


def test_the_year_is_named_in_reiwa_and_31_march_belongs_to_the_year_it_ends(counted):
    rows, answers = counted
    fy2025 = answers[2025]
    assert fy2025["label"] == "令和7年度"
    assert fy2025["period"] == {"from": "2025-04-01", "to": "2026-03-31"}
    assert answers[2024]["new"] == 1 and answers[2024]["total"] == 1  # 2025-03-31 23:59 JST only
    assert answers[2026]["new"] == 1  # 2026-03-31T15:00Z is 1 April in Japan
    assert {line["channel"]: line["label"] for line in fy2025["by_channel"]}["home_visit"] == "訪問"
    assert [a["name"] for a in fy2025["by_agency"]] == [HOKATSU["name"], KIKAN["name"]]


def test_one_agencys_counts_are_its_own(counted):
    rows, answers = counted
    kikan = answers["kikan-2025"]
    want = expected([row for row in rows if row["agency"] is KIKAN], 2025)
    assert (kikan["new"], kikan["total"]) == (want["new"], want["total"])
    assert [a["agency_id"] for a in kikan["by_agency"]] == ["fy-kikan"]
    assert kikan["total"] < answers[2025]["total"]
