"""どの行を何で数えるか — each KPI row of the seeded city profiles joined to the counter that
counts it (the business line's `views/report.py`), or marked 手入力 with why no event counts it.

A row of a profile not named here is 手入力: every table comes out complete either way. A
counted row sums the counter over every instance of its business line; `agencies` narrows it
to the row's own agency (`"row"`), to agencies whose id starts with a prefix, or to none (all).
"""
from __future__ import annotations

from dataclasses import dataclass

ROW_AGENCY = "row"


@dataclass(frozen=True)
class Counted:
    counter: str
    agencies: str | None = None  # ROW_AGENCY, "prefix:<id prefix>" or None (every agency)


@dataclass(frozen=True)
class Manual:
    reason: str


def _new_total(prefix: str, agencies: str = ROW_AGENCY) -> dict:
    return {f"{prefix}-new": Counted("consultations_new", agencies),
            f"{prefix}-total": Counted("consultations_total", agencies)}


_SPLIT = Manual("同じ機関の内訳（母子保健／児童福祉）を区別して記録していないため")
ISE_R7 = {
    **_new_total("ise-r7-yorisoi"), **_new_total("ise-r7-hokatsu", "prefix:ise-hokatsu-"),
    **_new_total("ise-r7-shogai-kikan"), **_new_total("ise-r7-shogai-chiiki"),
    **_new_total("ise-r7-ekimae"), **_new_total("ise-r7-ayumi"),
    "ise-r7-mama-hot-terrace-new": _SPLIT, "ise-r7-mama-hot-terrace-total": _SPLIT,
    "ise-r7-jido-fukushi-new": _SPLIT, "ise-r7-jido-fukushi-total": _SPLIT,
    "ise-r7-tsudoi-no-ba": Manual("箇所数は補助の実績で、事業の記録に含まれないため"),
    "ise-r7-supporter-courses": Manual("養成講座を他の研修と区別して記録していないため"),
    "ise-r7-supporters-total": Manual("養成講座を他の研修と区別して記録していないため"),
    "ise-r7-minto-users": Manual("地域活動支援センターの利用者は記録の対象外のため"),
    "ise-r7-kosodate-kyoten-uses": Manual("子育て支援拠点の利用件数は保育課の集計のため"),
    "ise-r7-citizen-consultations": Counted("consultations_from_residents"),
    "ise-r7-group-consultations": Counted("consultations_from_groups"),
    "ise-r7-citizen-matchings": Counted("resident_matchings"),
    "ise-r7-volunteer-courses": Counted("trainings_held"),
    "ise-r7-volunteer-course-attendance": Counted("training_attendees"),
    "ise-r7-company-consultations": Counted("consultations_from_companies"),
    "ise-r7-company-matchings-new": Counted("company_matchings_new"),
    "ise-r7-company-matchings-total": Counted("company_matchings_total"),
    "ise-r7-ibasho-visitors": Counted("visitors"),
    "ise-r7-ibasho-groups": Counted("groups_active"),
    "ise-r7-ibasho-activities": Counted("activities_held"),
    "ise-r7-hojin-network-meetings": Manual("ネットワーク会議は事業の記録の対象外のため"),
    "ise-r7-koeki-torikumi": Manual("法人の取組の支援は事業の記録の対象外のため"),
    "ise-r7-minsei-kyoryokuin-districts": Manual("民生委員協力員の配置は委嘱の記録のため"),
    "ise-r7-jijo-survey": Counted("surveys_sent"),
    "ise-r7-mapping-surveys": Counted("mapping_sites"),
    "ise-r7-popup-desks": Counted("popup_desks"),
    "ise-r7-follow-ups": Counted("follow_ups"),
    "ise-r7-outreach-plans": Counted("plans_made"),
    "ise-r7-participation-plans": Counted("plans_made"),
    "ise-r7-new-community-hosts": Counted("new_community_hosts"),
    "ise-r7-new-company-hosts": Counted("new_company_hosts"),
    "ise-r7-workplace-visits": Counted("experience_days_held"),
    "ise-r7-hoppi-new": Counted("work_experience_new"),
    "ise-r7-hoppi-registered": Counted("work_experience_registered"),
    "ise-r7-hoppi-sessions": Counted("sessions"),
    "ise-r7-platform-meetings": Manual("プラットフォーム会議は事業の記録の対象外のため"),
    "ise-r7-staff-trainings": Manual("職員研修は事業の記録の対象外のため"),
    "ise-r7-intake-sheets": Counted("assessments_made"),
    "ise-r7-jusoteki-meetings": Counted("multi_layered_meetings"),
    "ise-r7-shien-kaigi": Counted("support_meetings"),
    "ise-r7-takikan-plans": Counted("plans_made"),
}

_RATE = Manual("作成率は支援が必要と判断した人数（分母）を記録していないため")
ICHIKAWA_R5 = {
    "ichikawa-r5-plan-creation-rate": _RATE,
    "ichikawa-r5-referrals-to-takikan": Counted("referrals_received"),
    "ichikawa-r5-salons": Manual("サロン箇所数は地域ケアシステムの集計のため"),
    "ichikawa-r5-new-jiritsu-consultations": Counted("consultations_new", ROW_AGENCY),
    "ichikawa-r5-chiiki-katsudo-ouen-facilities": Manual("提供施設数は応援制度の登録の集計のため"),
    "ichikawa-r5-korei-support-consultations": Counted("consultations_total", "prefix:ichikawa-korei-support-"),
    "ichikawa-r5-seikatsu-supporter-trainees": Manual("養成研修を他の研修と区別して記録していないため"),
}

MAPPINGS = {**ISE_R7, **ICHIKAWA_R5}
DEFAULT = Manual("この項目を数える記録がないため")


def source_of(kpi_id: str) -> Counted | Manual:
    return MAPPINGS.get(kpi_id, DEFAULT)


def agency_matches(spec: Counted, row_agency: str | None, agency: str) -> bool:
    if spec.agencies is None:
        return True
    if spec.agencies == ROW_AGENCY:
        return agency == row_agency
    return agency.startswith(spec.agencies.removeprefix("prefix:"))
