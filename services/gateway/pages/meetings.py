"""会議の画面 — what a meeting decides about a 多機関協働 case, entered on the case's page: the
plan's approval or revision, a re-plan confirmed, a review without re-planning (検証・評価), 中断
with its reason, 再開, and 終結 with each goal of the plan in force evaluated (達成・一部達成・
未達成 and a note). A household that consented is decided by a 重層的支援会議; one without consent
by a 支援会議 (法106条の6), whose member persons confirm the duty of secrecy (守秘義務の確認) and
alone may read its record afterwards (the collaboration instance checks the reader)."""
from __future__ import annotations

from functools import partial

from kasane import vocabulary as v

from gateway.pages.door import page
from gateway.pages.forms import Form
from gateway.pages.render import html, sent
from gateway.web import http

# Which decisions a meeting may take on a case in each status (collaboration.domain.case_rules).
DECISIONS_BY_STATUS = {
    "open": ("suspension",),
    "planning": ("plan_appropriate", "plan_revise", "suspension"),
    "replanning": ("replan_agreed", "plan_revise", "suspension"),
    "monitoring": ("review", "closure", "suspension"),
    "suspended": ("resumption",),
}
NEEDS_DRAFT = {"plan_appropriate", "replan_agreed", "plan_revise"}
YES_NO = {"yes": "必要", "no": "不要"}
OTHER_MEMBERS = ("m1", "m2")


def decisions_for(record: dict) -> dict:
    """The decisions open to a meeting on this case now, with their labels."""
    codes = [c for c in DECISIONS_BY_STATUS.get(record["status"], ())
             if (c not in NEEDS_DRAFT or record["draft_plan_id"])
             and not (c in ("closure", "suspension") and record["pending_ending"])]
    return {c: v.MEETING_DECISIONS[c] for c in codes}


def goals_of(record: dict) -> list[dict]:
    """The goals of the plan in force, each as a closure evaluates it: a person's goal by the
    person's id, the household's as "household" (its text where this organisation holds it)."""
    plan = next((p for p in record["plans"] if p["plan_id"] == record["plan_in_force_id"]), None)
    if plan is None:
        return []
    personal = plan.get("personal") or {}
    texts = {g["person_id"]: g["goal"] for g in personal.get("person_goals") or []}
    goals = [{"goal": pid, "text": texts.get(pid)} for pid in plan.get("goal_person_ids") or []]
    if plan.get("household_goal"):
        goals.append({"goal": "household", "text": personal.get("household_goal")})
    return goals


def overall(evaluations: list[dict]) -> str:
    """目標の達成 as a whole: 達成 when every goal was met, 未達成 when none was, else 一部達成."""
    attained = {e["attainment"] for e in evaluations}
    return "met" if attained <= {"met"} else "not_met" if attained == {"not_met"} else "partly_met"


def agenda_item(form: Form, case_id: str, record: dict) -> dict:
    """One case's decision as the meeting took it, refused field by field."""
    decision = form.choice("decision", "会議の決定", decisions_for(record))
    item: dict = {"case_id": case_id, "decision": decision}
    if decision == "closure":
        goals = [{"goal": g["goal"], "attainment": form.choice(f"goal_{i}", f"目標{i + 1}の達成状況", v.GOAL_ATTAINMENT),
                  "note": form.optional_text(f"goal_{i}_note", f"目標{i + 1}の評価のメモ")}
                 for i, g in enumerate(goals_of(record))]
        item.update(goal_evaluations=goals, goals_met=overall(goals) if form.ok else "met",
                    follow_up_needed=form.choice("follow_up", "終結後のフォローアップ", YES_NO) == "yes",
                    evaluation=form.optional_text("evaluation", "終結の評価"))
    elif decision == "suspension":
        item["reason"] = form.choice("suspension_reason", "中断の理由", v.SUSPENSION_REASONS)
    comment = form.optional_text("comment", "会議での意見")
    return {**item, **({"comment": comment} if comment else {})}


def attendees(record: dict, organisation: str) -> list[dict]:
    """重層的支援会議 — the host and the organisations of the plans' roles attend."""
    roles = [r for p in record["plans"] for r in p.get("roles", [])]
    return [{"organisation": organisation, "role": "host"}] + [
        {"organisation": o, "role": s if s in v.ATTENDEE_ROLES else "related_agency"}
        for o, s in dict.fromkeys((r["organisation"], r["service"]) for r in roles) if o != organisation]


def meeting_bodies(takikan, consented: bool) -> dict:
    """会議体 — body id -> name: the city's own bodies (its profile in the directory copy) that
    meet as a 重層的支援会議, or as a 支援会議 for a household without consent ({} if none named)."""
    basis = "multi_layered" if consented else "support"
    return {b["body_id"]: b["name"] for b in takikan.directory_meeting_bodies(basis)}


def body_of(form: Form, bodies: dict, field: str = "body_id") -> dict:
    """The body chosen in `field` (required once the city names its bodies), as the meeting's
    command takes it."""
    return {"body_id": form.choice(field, "会議体", bodies)} if bodies else {}


def support_members(form: Form, session, organisations: list[str], held_on: str) -> list[dict]:
    """支援会議の構成員 — the host (the person recording, who confirms the duty of secrecy) and one
    or two member organisations, each with the person who attended and confirmed it."""
    if "yes" not in form.checked("host_secrecy"):
        form.refuse("host_secrecy", "守秘義務を確認したことにチェックしてください")
    members = [{"organisation": session.organisation, "role": "host", "persons": [
        {"staff_id": session.staff_id, "name": session.name, "secrecy_acknowledged_on": held_on}]}]
    for m in OTHER_MEMBERS:
        organisation = form.get(f"{m}_organisation")
        if not organisation:
            continue
        if organisation not in organisations or organisation == session.organisation:
            form.refuse(f"{m}_organisation", "構成員の組織を一覧から選んでください")
        member = {"organisation": organisation,
                  "role": form.choice(f"{m}_role", "構成員の立場", v.ATTENDEE_ROLES), "persons": []}
        staff_id = form.optional_text(f"{m}_staff_id", "出席者の職員ID", 64)
        if staff_id and "yes" not in form.checked(f"{m}_secrecy"):
            form.refuse(f"{m}_secrecy", "出席者が守秘義務を確認したことにチェックしてください")
        if staff_id:
            member["persons"].append({"staff_id": staff_id, "secrecy_acknowledged_on": held_on,
                                      "name": form.name(f"{m}_name", "出席者の氏名")})
        members.append(member)
    if len(members) < 2:
        form.refuse("m1_organisation", "支援会議には、ほかに一つ以上の構成員の組織が必要です")
    return members


class MeetingPages:
    @http("POST", "/cases/<case_id>/meeting")
    @page("case.write", purpose="会議の決定の記録")
    def page_meeting(self, request, session, case_id):
        from gateway.pages.collaboration import today
        form, (takikan, record) = Form(request.form), self._case(case_id)
        item = agenda_item(form, case_id, record)
        consented = takikan.household_consent(record["household_id"])["allows_collaboration"]
        body = {**body_of(form, meeting_bodies(takikan, consented)), "held_on": today(), "caseworker_id": session.login}
        typed_on = partial(self._case_page, session, case_id)
        if consented:
            return sent(form, typed_on, lambda: takikan.hold_multi_layered_meeting(
                {**body, "attendees": attendees(record, session.organisation), "agenda": [item]}), f"/cases/{case_id}")
        members = support_members(form, session, self._member_organisations(takikan), today())
        shared = form.required("information_shared", "共有した情報", 2000)
        policy = form.optional_text("watching_policy", "見守りの方針")
        return sent(form, typed_on, lambda: takikan.hold_support_meeting(
            {**body, "members": members, "information_shared": shared, "agenda": [item], "watching_policy": policy}),
                    lambda held: f"/support-meetings/{held['meeting_id']}")

    def _member_organisations(self, takikan) -> list[str]:
        return sorted({a["operator"] for a in self._directory(takikan)})

    @http("GET", "/support-meetings/<meeting_id>")
    @page("support_meeting.read", purpose="支援会議の記録の閲覧")
    def page_support_meeting(self, request, session, meeting_id):
        """支援会議の記録 — for its member persons only, whichever member organisation they work
        for; anyone else is refused by the city's 多機関協働 instance (and the attempt recorded)."""
        read = self.instances.shared("collaboration", "read_support_meeting")
        return html("support_meeting.html", session=session, meeting=read({"meeting_id": meeting_id}))
