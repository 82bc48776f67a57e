"""進捗管理の集計 — what the city's progress report counts in 地域づくり (kasane.report, seed 004
§5(2)): consultations by who consulted, matchings, trainings and their attendees, visitors
(a recount replaces the earlier number), activities and the groups active, by month and area."""
from __future__ import annotations

from kasane.report.tally import Count, MonthlyTally, attr
from kasane_contracts.vocabulary import PLACE_KINDS, TRAINING_KINDS

from community.domain.engagement import CommunityConsultation, Matching, Training
from community.domain.place import Place


def _by(kind: str):
    return lambda e: e.consulted_by == kind


def _place(e) -> str:
    return str(e.originator_id)


Received, Made = CommunityConsultation.Received, Matching.Made
COUNTS = [
    Count(Received, "consultations_from_residents", attr("received_on"), when=_by("resident"), area=attr("area")),
    Count(Received, "consultations_from_groups", attr("received_on"), when=_by("group"), area=attr("area")),
    Count(Received, "consultations_from_companies", attr("received_on"), when=_by("company"), area=attr("area")),
    Count(Made, "resident_matchings", attr("matched_on"), when=lambda e: e.kind == "resident_activity"),
    Count(Made, "company_matchings_total", attr("matched_on"), when=lambda e: e.kind != "resident_activity"),
    Count(Made, "company_matchings_new", attr("matched_on"), when=lambda e: e.kind != "resident_activity",
          distinct=attr("partner_id"), distinct_ever=True),
    Count(Training.Held, "trainings_held", attr("held_on"), area=attr("area")),
    Count(Training.Held, "training_attendees", attr("held_on"), weight=attr("attendees"), area=attr("area")),
    Count(Place.VisitorsCounted, "visitors", attr("counted_on"), agency=_place,
          weight=lambda e: e.visitors - e.previous, area=lambda e: getattr(e, "area", None)),
    Count(Place.ActivityHeld, "activities_held", attr("held_on"), agency=_place),
    Count(Place.ActivityHeld, "groups_active", attr("held_on"), agency=_place, distinct=attr("group")),
]


def _of_kind(kind: str, attribute: str = "kind"):
    return lambda e: getattr(e, attribute, "other" if attribute == "kind" else None) == kind


# 研修は種類ごとに (004 §5(2)): `<kind>_courses_held`, `<kind>_course_attendees`; 生活支援サポーター
# 延べ (延460名: everyone trained so far) is the cumulative attendance of its courses.
COUNTS += [count for kind in TRAINING_KINDS for count in (
    Count(Training.Held, f"{kind}_courses_held", attr("held_on"), when=_of_kind(kind), area=attr("area")),
    Count(Training.Held, f"{kind}_course_attendees", attr("held_on"), weight=attr("attendees"),
          when=_of_kind(kind), area=attr("area")))]
COUNTS.append(Count(Training.Held, "life_support_supporters_trained", attr("held_on"), weight=attr("attendees"),
                    when=_of_kind("life_support_supporter"), cumulative=True))
# 来所者数は場の種類ごとにも (交流できる居場所の来所者数, 004 §5(2)): `visitors_<place kind>`.
COUNTS += [Count(Place.VisitorsCounted, f"visitors_{kind}", attr("counted_on"), agency=_place,
                 weight=lambda e: e.visitors - e.previous, when=_of_kind(kind, "place_kind"),
                 area=lambda e: getattr(e, "area", None)) for kind in PLACE_KINDS]


def report_tally() -> MonthlyTally:
    return MonthlyTally(COUNTS)
