"""地域活動への参加 — the rows of seed 004_80d15c30c045b89b.txt §5(2) (伊勢市, 生活困窮者支援等のため
の地域づくり事業): consultations from residents, groups and companies about local activity
(市民・地域からの相談, 企業等からの相談), matchings (市民と地域活動とのマッチング, 地域と企業等との
マッチング 新規/延) and trainings with their attendance (ボランティア入門講座 12回・延30名).

Each is a small record of its own: who (a resident's name) sits in `personal`; the counts need
only kinds, dates and numbers.
"""
from __future__ import annotations

from datetime import date

from eventsourcing.domain import Aggregate, event

from kasane_contracts.vocabulary import COMMUNITY_CONSULTERS, MATCHING_KINDS, TRAINING_KINDS

from community.domain.rules import ActivityRuleViolation, check_codes


class CommunityConsultation(Aggregate):
    """地域活動に関する相談 — a resident, group or company asked about local activity."""

    @event("Received")
    def __init__(self, consulted_by: str, area: str | None, received_on: date, recorded_by: str,
                 personal: dict):
        check_codes("consulted_by", [consulted_by], COMMUNITY_CONSULTERS, ActivityRuleViolation)
        self.consulted_by, self.area, self.received_on = consulted_by, area, received_on


class Matching(Aggregate):
    """マッチング — a resident matched with a local activity, or a company with the area.

    `partner_id` names the company or group (not a person) so that a company's first matching
    counts as new (新規) and every matching in the total (延)."""

    @event("Made")
    def __init__(self, kind: str, partner_id: str, place_id: str | None, matched_on: date,
                 recorded_by: str, personal: dict):
        check_codes("kind", [kind], MATCHING_KINDS, ActivityRuleViolation)
        if kind == "company_area" and not partner_id:
            raise ActivityRuleViolation("a company matching names the company (partner_id)")
        self.kind, self.partner_id, self.place_id = kind, partner_id, place_id
        self.matched_on = matched_on


class Training(Aggregate):
    """研修 — a training for local activity and who attended, of one kind (ボランティア入門講座,
    生活支援サポーター養成講座 …: counted apart, seed 004 §5(2)). Trainings recorded before kinds
    were kept are "other"."""

    @event("Held")
    def __init__(self, title: str, held_on: date, area: str | None, attendees: int,
                 recorded_by: str, personal: dict, kind: str = "other"):
        check_codes("kind", [kind], TRAINING_KINDS, ActivityRuleViolation)
        if attendees < 0:
            raise ActivityRuleViolation("a training's attendance (参加者数) is zero or more")
        names = personal.get("attendee_names") or []
        if len(names) > attendees:
            raise ActivityRuleViolation("a training lists no more attendees by name than attended")
        self.title, self.held_on, self.area, self.attendees = title, held_on, area, attendees
        self.kind = kind
