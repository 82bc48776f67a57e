"""`make bench` (fourth part): the yearly progress report (進捗管理) and the forms (帳票).

- report: a city of Ichikawa's size — about 70,000 consultations and 1,000,000 events in one
  fiscal year across the five business lines (intakes and 延べ contacts at two consultation
  instances, area work at two outreach instances, daily visitor counts at a community
  instance's places, 多機関協働 cases with assessments, plans and both kinds of meeting, and
  参加支援 with plans, matches and 延べ sessions), stored through the domain in PostgreSQL. Timed: the report of
  the year from instances whose views are caught up (as a running deployment answers it), and
  the same after every view is rebuilt from the log (a restart); beside a plain SQL count over
  the same stored events measured in the same run. Goal: under 10 s and under 3× the plain count.
- forms: p95 seconds per PDF over every form of 20 households; goal under 1 s.
"""
from __future__ import annotations

import os
import secrets
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from uuid import uuid4

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the checkout: tests.forms_helpers

from kasane.clock import JST  # noqa: E402
from kasane.config import REPO_ROOT, BrokerSettings, DatabaseSettings, InstanceSettings  # noqa: E402
from kasane.report.build import build_report  # noqa: E402
from kasane.store.application import postgres_env  # noqa: E402
from kasane.store.log_follower import LogFollower  # noqa: E402
from kasane.store.provision import drop_prefixed, provision_instance  # noqa: E402
from kasane.store.trace import Trace  # noqa: E402

from consultation.application import ConsultationApplication  # noqa: E402
from consultation.domain.consultation import Consultation  # noqa: E402
from directory.profile import load_profile  # noqa: E402
from outreach.application import OutreachApplication  # noqa: E402
from outreach.domain.area import AreaWork  # noqa: E402
from community.application import CommunityApplication  # noqa: E402
from community.domain.place import Place  # noqa: E402
from collaboration.application import CollaborationApplication  # noqa: E402
from collaboration.domain.assessment import Assessment  # noqa: E402
from collaboration.domain.case import Case  # noqa: E402
from collaboration.domain.meeting import MultiLayeredMeeting  # noqa: E402
from collaboration.domain.plan import SupportPlan  # noqa: E402
from collaboration.domain.support_meeting import SupportMeeting  # noqa: E402
from participation.application import ParticipationApplication  # noqa: E402
from participation.domain.match import Match  # noqa: E402
from participation.domain.support import ParticipationSupport  # noqa: E402

EVENTS = int(os.environ.get("KASANE_BENCH_REPORT_EVENTS", 1_000_000))
CONSULTATIONS = EVENTS * 7 // 100  # 70,000 of 1,000,000
AREA_WORK = EVENTS // 20
PLACES = max(1, EVENTS // 10 // 366)  # visitors counted every day at each place: a tenth of the events
CASES = max(5, EVENTS // 500)  # 多機関協働: about 8 events a case, a meeting every 5 cases
SUPPORTS = max(1, EVENTS // 1000)  # 参加支援: about 26 events each (20 sessions attended)
SESSIONS = 20
AGENCIES = [{"agency_id": "ichikawa-sora", "name": "市川市生活サポートセンターそら"},
            {"agency_id": "ichikawa-korei-support-yawata", "name": "高齢者サポートセンター八幡"}]
START = datetime(2023, 4, 1, 9, 0, tzinfo=JST)


def say(line: str) -> None:
    print(line, flush=True)


def settings(database, instance: str, service: str) -> InstanceSettings:
    return InstanceSettings(service=service, instance=instance, organisation="bench",
                            database=database, broker=BrokerSettings())


def fill_consultations(app, count: int, contacts_each: int, offset: int) -> None:
    batch = []
    for n in range(count):
        at = START + timedelta(minutes=(n * 7 + offset) % (364 * 24 * 60))
        c = Consultation.receive(household_id=uuid4(), agency=AGENCIES[n % 2], received_at=at,
                                 channel="phone", consulted_by="self", issue_categories=["poverty"],
                                 urgency="normal", caseworker_id="sw", persons=[], summary=None)
        for k in range(contacts_each):
            c.record_contact(contact_id=uuid4(), contacted_at=at + timedelta(hours=k + 1), channel="phone",
                             caseworker_id="sw", note=None)
        batch.append(c)
        if len(batch) == 500:
            app.save_traced(*batch, trace=Trace.for_command())
            batch = []
    if batch:
        app.save_traced(*batch, trace=Trace.for_command())


def fill_area_work(app, count: int) -> None:
    desk = AreaWork.record(kind="popup_desk", area="八幡", held_on=date(2023, 4, 1), worker_id="csw",
                           place="公民館", figures={"visitors": 3, "consultations": 1})
    records = [desk] + [AreaWork.record(kind="follow_up", area="八幡", worker_id="csw",
                                        held_on=date(2023, 4, 1) + timedelta(days=n % 365),
                                        figures={}, source_work_id=str(desk.id))
                        for n in range(count - 1)]
    for start in range(0, count, 1000):
        app.save_traced(*records[start:start + 1000], trace=Trace.for_command())


def fill_places(app, count: int) -> None:
    for n in range(count):
        place = Place(kind="salon", name=f"サロン{n}", area="八幡", operator="bench", schedule=None,
                      target=None, capacity=None, registered_on=date(2023, 4, 1))
        for day in range(365):
            place.record_visitors(counted_on=date(2023, 4, 1) + timedelta(days=day), visitors=5 + n % 7,
                                  session=None, recorded_by="bench")
        app.save_traced(place, trace=Trace.for_command())


def fill_cases(app, count: int) -> None:
    """Referral, first assessment, first plan approved by a 重層的支援会議; a 支援会議 every 20."""
    for start in range(0, count, 100):
        batch = []
        for n in range(start, min(count, start + 100)):
            day = date(2023, 4, 1) + timedelta(days=n % 360)
            household = uuid4()
            referral = {"referral_id": str(uuid4()), "referring_agency": AGENCIES[n % 2]}
            case = Case(household_id=household, referral=referral,
                        opened_at=datetime.combine(day, START.timetz()), personal={})
            assessment = Assessment(case_id=case.id, household_id=household)
            assessment.revise(assessed_on=day, assessor={"caseworker_id": "tk"}, persons=[],
                              household={"issue_categories": ["poverty"]})
            plan = SupportPlan(case_id=case.id, household_id=household, version=1, drafted_on=day,
                               drafted_by="tk", personal={},
                               content={"roles": [], "monitoring_dates": [], "goal_person_ids": [],
                                        "household_goal": True})
            meeting_day = day + timedelta(days=3)
            batch += [case, assessment, plan]
            if n % 5 == 0:
                batch.append(MultiLayeredMeeting(held_on=meeting_day, attendees=[], agenda=[],
                                                 recorded_by="tk", personal={}))
            if n % 20 == 0:
                batch.append(SupportMeeting(held_on=meeting_day, members=[], household_ids=[],
                                            urgent=False, recorded_by="tk", personal={}))
            plan.approve(meeting_id=uuid4(), held_on=meeting_day)
        app.save_traced(*batch, trace=Trace.for_command())


def fill_participation(app, count: int) -> None:
    """A request, its needs and plan, one match started and 延べ sessions attended."""
    for n in range(count):
        day = date(2023, 4, 1) + timedelta(days=n % 300)
        support = ParticipationSupport.receive(
            household_id=uuid4(), source="collaboration_role", source_request_id=str(uuid4()),
            request={"origin_instance": "bench-collaboration"},
            received_at=datetime.combine(day, START.timetz()), personal={})
        support.assess_needs(assessed_on=day, caseworker_id="pa", needs={"wished_offers": ["work_experience"]})
        support.make_plan(made_on=day, caseworker_id="pa", goals=["週1回の参加"], review_dates=[day + timedelta(days=60)])
        match = Match(support_id=support.id, household_id=support.household_id, host_id=uuid4(),
                      host_kind="company", offer="work_experience", matched_on=day, caseworker_id="pa",
                      ranking={}, personal={})
        support.match_recorded(match_id=match.id, host_id=match.host_id)
        match.start(started_on=day, caseworker_id="pa")
        for k in range(SESSIONS):
            match.attend(attended_on=day + timedelta(days=k + 1), caseworker_id="pa")
        app.save_traced(support, match, trace=Trace.for_command())


def stores(database):
    others = AREA_WORK + PLACES * 366 + CASES * 8 + SUPPORTS * (SESSIONS + 6)
    contacts_each = max(0, (EVENTS - others) // CONSULTATIONS - 1)
    made = []
    for i, (service, cls) in enumerate((("consultation", ConsultationApplication),) * 2
                                       + (("outreach", OutreachApplication),) * 2
                                       + (("community", CommunityApplication),)
                                       + (("collaboration", CollaborationApplication),)
                                       + (("participation", ParticipationApplication),)):
        instance = settings(database, f"bench-{service}-{i}", service)
        provision_instance(instance)
        app = cls(env=postgres_env(instance), instance=instance.instance, organisation="bench")
        app.views.page_size = 5000
        if service == "consultation":
            fill_consultations(app, CONSULTATIONS // 2, contacts_each, offset=i)
        elif service == "outreach":
            fill_area_work(app, AREA_WORK // 2)
        elif service == "community":
            fill_places(app, PLACES)
        elif service == "collaboration":
            fill_cases(app, CASES)
        else:
            fill_participation(app, SUPPORTS)
        say(f"    stored {instance.instance}")
        made.append((service, instance, app))
    return made


def report(made, profile) -> dict:
    sources = [{"service": service, **app.report_counts(2023)} for service, _, app in made]
    return build_report(profile, 2023, sources, [], datetime.now(JST))


def plain_count(made) -> tuple[float, int]:
    started, total = time.perf_counter(), 0
    for _, _instance, app in made:
        with app.recorder.datastore.get_connection() as conn:
            rows = conn.execute("SELECT topic, count(*) AS n FROM kasane_events GROUP BY topic").fetchall()
            total += sum(row["n"] for row in rows)
    return time.perf_counter() - started, total


def check_generated(made) -> None:
    """What was generated is what the five lines count (the report is not timed on empty views)."""
    totals = {(service, key): c["total"] for service, _, app in made
              for key, c in app.report_counts(2023)["counters"].items()}
    expected = {("collaboration", "plans_made"): CASES, ("collaboration", "multi_layered_meetings"): (CASES + 4) // 5,
                ("participation", "plans_made"): SUPPORTS, ("participation", "sessions"): SUPPORTS * SESSIONS}
    for key, n in expected.items():
        assert totals[key] == n, (key, totals[key], n)
    say("counted as generated: " + ", ".join(f"{s}.{k} {n}" for (s, k), n in expected.items()))


def rebuild(made) -> None:
    for _, _, app in made:
        app.report = type(app.report)([c for cs in app.report.by_event.values() for c in cs])
        app.views = LogFollower(app, [app.report], page_size=5000)


def forms_p95() -> float:
    from audit.history import replay
    from tests.forms_helpers import household
    from kasane.forms.render import form_pdf
    from kasane.forms.sheets import SHEETS

    reader, timings = {"name": "bench", "organisation": "ise-fukushi-sogo-shien"}, []
    form_pdf("intake", {**replay(*household()), "entries": []}, reader)  # fonts loaded once
    for _ in range(20):
        hh, entries = household()
        history = {**replay(hh, entries), "entries": entries}
        for form in SHEETS:
            started = time.perf_counter()
            form_pdf(form, history, reader)
            timings.append(time.perf_counter() - started)
    return statistics.quantiles(timings, n=20)[-1]


def main() -> int:
    database = DatabaseSettings.from_env({**os.environ, "KASANE_DB_PREFIX": f"kr{secrets.token_hex(3)}"})
    profile = load_profile(REPO_ROOT / "deploy" / "profiles" / "ichikawa.yaml")
    say(f"== kasane bench: 進捗管理 (about {CONSULTATIONS} consultations, {EVENTS} events) and 帳票 ==")
    try:
        made = stores(database)
        plain, stored = plain_count(made)
        rebuild(made)
        started = time.perf_counter()
        rebuilt = report(made, profile)  # every view read again from the log first
        cold = time.perf_counter() - started
        started = time.perf_counter()
        result = report(made, profile)
        warm = time.perf_counter() - started
        assert rebuilt["business_lines"] == result["business_lines"]
        check_generated(made)
        say(f"plain SQL count of {stored} stored events  {plain:7.3f} s")
        say(f"report of FY2023, views caught up    {warm:7.3f} s  ({warm / plain:6.1f}× the plain count)  goal < 10 s, < 3×")
        say(f"report of FY2023, views rebuilt       {cold:7.3f} s  ({cold / plain:6.1f}× the plain count)")
        say(f"forms: p95 per PDF                    {forms_p95():7.3f} s  goal < 1 s")
        for _, _, app in made:
            app.close()
    finally:
        drop_prefixed(database)
    return 0


if __name__ == "__main__":
    sys.exit(main())
