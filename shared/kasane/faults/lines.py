"""生成ワークロード（各事業） — the workload's use cases beyond the desks' intakes and
多機関協働's plans: アセスメント, closure by a 重層的支援会議 with its つなぎ戻し to the desk,
outreach driven directly (把握, 関わり, 同意, 引き継ぎ to 多機関協働 or つなぎ to a desk, a consent
withdrawn), a つなぐシート from a 居場所 to a desk, and a participation request carried through
(ニーズの把握, プラン, 受入先, マッチング, 受入先からの課題 back to the plan's owner).

Each is one command per step; the next step of the same chain is taken by a later draw, so the
chains interleave with everything else and meet the faults at any point.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, Callable
from datetime import timedelta

from uuid import NAMESPACE_URL, uuid5

from kasane import clock
from kasane.deployment import DeployedInstance

PROBLEM_KINDS = ("attendance", "conduct")
AREA = "matsudo-tokiwadaira"  # 常盤平, an area of the city's directory (places and hosts must name one)
HOUSEHOLDS = uuid5(NAMESPACE_URL, "https://kasane.example/fault-campaign/households")
LINE_WEIGHTS = {"assess": 1, "close": 1, "lead": 3, "sheet": 1, "participate": 2}


@dataclass
class OutreachLead:
    """An outreach case the workload took directly, and how far it went."""
    instance: str
    case_id: str
    person_id: str
    step: str = "taken"  # taken → met → consented → shared | withdrawn
    consent_id: str | None = None


class OtherLines:
    """Mixed into kasane.faults.workload.Workload (its `call`, `draw`, `households` and deployment)."""

    # What the Workload holds (declared here for the type checker).
    seed: int
    issued: int
    draw: random.Random
    desks: list
    collaboration: DeployedInstance
    outreach: list
    participation: DeployedInstance
    community: DeployedInstance
    agencies: dict
    leads: list
    place_id: str | None
    host_id: str | None
    call: Callable[..., Any]
    _pick: Callable[..., Any]
    _plan: Callable[[], None]
    _agency: Callable[[str], dict]

    def _assess(self) -> None:
        h = self._pick(lambda h: h.case_id and not h.closed)
        if h is None:
            return self._plan()
        collaboration = self.collaboration.settings
        self.call(collaboration.instance, "record_assessment", {
            "case_id": h.case_id, "assessed_on": clock.today().isoformat(),
            "assessor": {"organisation": collaboration.organisation, "caseworker_id": "faults-tk"},
            "persons": [{"person_id": h.person_ids[0], "issue_categories": ["isolation"],
                         "situation": "外出が少ない（故障試験）"}],
            "household": {"issue_categories": ["8050"]}})

    def _close(self) -> None:
        """終結 as a 重層的支援会議 judged it: the case closes and goes back to the desk (つなぎ戻し)."""
        h = self._pick(lambda h: h.planned and not h.closed)
        if h is None:
            return self._plan()
        collaboration = self.collaboration.settings
        if self.call(collaboration.instance, "hold_multi_layered_meeting", {
                "held_on": clock.today().isoformat(), "caseworker_id": "faults-tk",
                "attendees": [{"organisation": collaboration.organisation, "role": "host"}],
                "agenda": [{"case_id": h.case_id, "decision": "closure", "goals_met": "met",
                            "follow_up_needed": True}]}) and self.call(collaboration.instance, "close_case", {
                "case_id": h.case_id, "caseworker_id": "faults-tk", "summary": "終結（故障試験）"}):
            h.closed = True

    # -- アウトリーチ -------------------------------------------------------------------------
    def _lead(self) -> None:
        lead = self.draw.choice([None] + [lead for lead in self.leads if lead.step not in ("shared", "withdrawn")])
        if lead is None:
            return self._take_lead()
        getattr(self, f"_lead_{lead.step}")(lead)

    def _take_lead(self) -> None:
        instance = self.draw.choice(self.outreach).settings.instance
        n = self.issued + 1
        taken = self.call(instance, "take_lead", {
            "source": "minsei_iin", "noticed_on": clock.today().isoformat(), "worker_id": "faults-ow",
            "household_id": str(uuid5(HOUSEHOLDS, f"{self.seed}/{n}")),
            "persons": [{"name": f"試験 次郎{n}", "kana": f"シケン ジロウ{n}", "relation": "self"}],
            "address": f"松戸市 試験町{n}", "description": "雨戸が閉まったまま（故障試験）"})
        if taken:
            self.leads.append(OutreachLead(instance, taken["case_id"], taken["person_ids"][0]))

    def _lead_taken(self, lead: OutreachLead) -> None:
        if self.call(lead.instance, "record_contact", {
                "case_id": lead.case_id, "contacted_on": clock.today().isoformat(), "mode": "direct",
                "with_whom": "self", "outcome": "talked", "worker_id": "faults-ow"}):
            lead.step = "met"

    def _lead_met(self, lead: OutreachLead) -> None:
        """Mostly a consent naming both purposes; now and then one for participation only, under
        which a later hand-over must be refused (and the checker proves nothing left)."""
        purposes = self.draw.choice([["collaboration", "connection"]] * 3 + [["participation"]])
        given = self.call(lead.instance, "record_consent", {
            "case_id": lead.case_id, "person_id": lead.person_id, "given_by": "self", "method": "written",
            "organisations": [], "purposes": purposes, "given_at": clock.utc_iso(), "worker_id": "faults-ow"})
        if given:
            lead.step, lead.consent_id = "consented", given["consent_id"]

    def _lead_consented(self, lead: OutreachLead) -> None:
        move = self.draw.choice(("hand_over", "hand_over", "connect", "withdraw"))
        if move == "withdraw":
            if self.call(lead.instance, "withdraw_consent", {
                    "case_id": lead.case_id, "consent_id": lead.consent_id, "worker_id": "faults-ow"}):
                lead.step = "withdrawn"
            return
        if move == "connect":
            desk = self.draw.choice(self.desks).settings
            done = self.call(lead.instance, "connect_to_consultation", {
                "case_id": lead.case_id, "issue_categories": ["isolation"], "worker_id": "faults-ow",
                "to": {"instance": desk.instance, "organisation": desk.organisation,
                       "agency": self._agency(desk.instance)}})
        else:
            collaboration = self.collaboration.settings
            done = self.call(lead.instance, "hand_over", {
                "case_id": lead.case_id, "to_service": "collaboration", "issue_categories": ["hikikomori"],
                "worker_id": "faults-ow",
                "to": {"instance": collaboration.instance, "organisation": collaboration.organisation}})
        if done:
            lead.step = "shared"

    # -- つなぐシート -------------------------------------------------------------------------
    def _sheet(self) -> None:
        community = self.community.settings.instance
        if self.place_id is None:
            placed = self.call(community, "register_place", {
                "kind": "salon", "name": "試験サロン", "area": AREA, "operator": "faults-harness"})
            self.place_id = placed and placed["place_id"]
            return None
        n, desk = self.issued + 1, self.draw.choice(self.desks).settings.instance
        with_consent = self.draw.random() < 0.8  # without: kept at the place, nothing leaves
        self.call(community, "write_tsunagu_sheet", {
            "place_id": self.place_id, "liaison_id": "faults-liaison", "issue_categories": ["isolation"],
            **({"personal": {"persons": [{"name": f"試験 三郎{n}", "kana": f"シケン サブロウ{n}",
                                          "birth_date": "1948-02-03"}], "summary": "最近来ない（故障試験）"},
                "consent": {"given_by": "self", "method": "oral", "given_at": clock.utc_iso()},
                "to": {"agency": self._agency(desk), "instance": desk}} if with_consent else {})})

    # -- 参加支援 -----------------------------------------------------------------------------
    def _participate(self) -> None:
        """The next step of a participation request that a plan's role sent here."""
        h = self._pick(lambda h: h.participation and h.planned and h.participation_step != "reported")
        if h is None:
            return self._plan()
        instance, today = self.participation.settings.instance, clock.today().isoformat()
        step = h.participation_step
        if step == "requested":
            supports = self.call(instance, "supports_of", h.household_id, stores=False)
            if supports:
                h.support_id, h.participation_step = supports[0]["support_id"], "found"
        elif step == "found" and self.call(instance, "assess_needs", {
                "support_id": h.support_id, "assessed_on": today, "caseworker_id": "faults-pw",
                "needs": {"wished_offers": ["work_experience"], "area": AREA, "available_days": ["tue"]}}):
            h.participation_step = "assessed"
        elif step == "assessed" and self.call(instance, "make_plan", {
                "support_id": h.support_id, "made_on": today, "caseworker_id": "faults-pw",
                "goals": ["週1回、作業に参加する"],
                "review_dates": [(clock.today() + timedelta(days=90)).isoformat()]}):
            h.participation_step = "planned"
        elif step == "planned":
            self._match(h, instance, today)
        elif step == "matched":
            self._start_match(h, instance, today)
        elif step == "started" and self.call(instance, "report_host_problem", {
                "match_id": h.match_id, "kind": self.draw.choice(PROBLEM_KINDS), "reported_on": today,
                "caseworker_id": "faults-pw", "description": "連絡なく欠席（故障試験）"}):
            h.participation_step = "reported"

    def _match(self, h, instance: str, today: str) -> None:
        if self.host_id is None:
            host = self.call(instance, "register_host", {
                "name": "試験農園", "kind": "company", "offers": ["work_experience"], "area": AREA,
                "capacity": 100_000, "contact_organisation": "試験農園", "registered_on": today,
                "caseworker_id": "faults-pw"})
            self.host_id = host and host["host_id"]
            return
        matched = self.call(instance, "match", {"support_id": h.support_id, "host_id": self.host_id,
                                                "offer": "work_experience", "matched_on": today,
                                                "caseworker_id": "faults-pw"})
        if matched:
            h.match_id, h.participation_step = matched["match_id"], "matched"

    def _start_match(self, h, instance: str, today: str) -> None:
        if self.call(instance, "start_match", {"match_id": h.match_id, "started_on": today,
                                               "caseworker_id": "faults-pw"}):
            h.participation_step = "started"

    def participation_role(self, today) -> dict:
        s = self.participation.settings
        return {"service": "participation", "task": "participation_matching", "organisation": s.organisation,
                "agency": self.agencies[s.instance], "instance": s.instance, "starts_on": today.isoformat()}
