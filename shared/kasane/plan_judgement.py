"""プランの適切性の協議 — what outreach and participation share when the city's profile has their
plans judged by a 重層的支援会議 (seed 001 §1(5)イ(イ)①; issue 19).

A plan made (or revised) there is `proposed` to the 多機関協働 instance that holds the meeting —
the owner of the role request it answers, else the deployment's collaboration instance — as
`<service>.plan_proposed` v1; `collaboration.plan_judged` v1 comes back, and only then is the
revision in force (`approved`), or it is `sent_back` with reasons to be revised and proposed
again. Where the profile says nothing, a plan is in force when made, as before.

`judgement_applies` is the rule both plans follow (plain Python); the rest reads and writes the
two contracts for the services' integration tables.
"""
from __future__ import annotations

import logging
from datetime import date

from kasane.bus.envelope import Outgoing
from kasane.errors import DomainRuleViolation

log = logging.getLogger(__name__)

PROPOSED, SENT_BACK, IN_FORCE = "proposed", "sent_back", "in_force"


def judgement_applies(*, status: str, revision: int, proposed_to: str | None, judgement: dict) -> bool:
    """Whether a judgement decides the plan as it stands: the revision awaiting judgement, from
    the instance it was proposed to. A judgement of an earlier revision (revised meanwhile) or a
    judgement delivered again decides nothing."""
    return (status == PROPOSED and judgement["revision"] == revision
            and judgement["from_instance"] == proposed_to)


class NoJudgingInstance(DomainRuleViolation):
    """No 多機関協働 instance to propose a plan to."""


def judging_instance(report_to: dict | None, collaboration_instance: str | None) -> str:
    """Where a plan is proposed: the 多機関協働 instance whose role request it answers, else the
    deployment's collaboration instance (KASANE_COLLABORATION_INSTANCE)."""
    found = (report_to or {}).get("origin_instance") or collaboration_instance
    if found is None:
        raise NoJudgingInstance("no 多機関協働 instance to judge the plan: the deployment names none")
    return found


def plan_proposed(service: str, e) -> Outgoing:
    """A `…Proposed` domain event as `<service>.plan_proposed` v1, addressed to the judging
    instance; the goals and note only when the person's consent covers 多機関協働."""
    report_to = e.report_to or {}
    return Outgoing(
        type=f"{service}.plan_proposed", version=1, household_id=e.household_id,
        payload={"plan_id": str(e.plan_id), "revision": e.revision, "case_id": str(e.case_id),
                 "proposed_on": e.proposed_on.isoformat(),
                 "review_dates": [d.isoformat() for d in e.review_dates],
                 "request_id": report_to.get("request_id"),
                 "collaboration_case_id": report_to.get("collaboration_case_id"),
                 "worker_id": e.worker_id},
        personal=e.personal if e.share_personal else None, recipient=e.to_instance)


def judgement_of(envelope: dict) -> tuple[dict, dict]:
    """collaboration.plan_judged v1 read into the domain's terms: the judgement, and its personal
    part (the meeting's comment)."""
    p = envelope["payload"]
    judgement = {"proposal_id": p["proposal_id"], "revision": p["revision"], "meeting_id": p["meeting_id"],
                 "judged_on": date.fromisoformat(p["judged_on"]), "judgement": p["judgement"],
                 "reasons": list(p["reasons"]), "from_instance": envelope["origin"]["instance"]}
    return judgement, {"comment": (p.get("personal") or {}).get("comment")}


def take_plan_judged(app, envelope: dict, uow, *, service: str, plan_of) -> None:
    """A handler of an integration table (kasane.integration), bound to a `service` with
    `plan_of(uow, plan_id)`, which finds the aggregate holding the plan, or None: the judgement is
    recorded on it. A judgement naming no plan of this instance, or another household's,
    is logged by ids only and ignored."""
    p = envelope["payload"]
    if p["service"] != service:
        return
    holder = plan_of(uow, p["plan_id"])
    if holder is None or str(holder.household_id) != envelope["household_id"]:
        log.warning("plan judgement %s names no %s plan of this instance; ignored", p["proposal_id"], service)
        return
    judgement, personal = judgement_of(envelope)
    holder.take_judgement(judgement=judgement, personal=personal)
