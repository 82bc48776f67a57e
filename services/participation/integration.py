"""What the participation service tells the others, and which events it listens to.

Consumed: role requests addressed here by a 多機関協働 plan (collaboration.role_requested v1,
with the personal part the household's consent allowed) become participation requests;
social resource shortages (collaboration.social_resource_shortage_found v1, about no
household) become development targets (開拓目標).
Published: a host's problem report (participation.host_problem_reported v1), addressed to the
collaboration instance whose plan asked for the role — the plan's owner. Its `personal` part
(what the host said about the person) only when the request came under consent. Problems on a
support that a consultation agency sent stay in this instance (no owner to tell on the bus).

Issue 19: where the city's profile has participation plans judged by a 重層的支援会議 (001
§1(5)イ(イ)①), each plan version is proposed (`participation.plan_proposed`, addressed to the
judging 多機関協働 instance; goals only under consent) and the judgement comes back
(`collaboration.plan_judged`, addressed here): only an approved version is in force.
"""
from __future__ import annotations

from functools import partial

from kasane.bus.envelope import Outgoing, utc_iso
from kasane.integration import Consumes, Integration, Publishes
from kasane.plan_judgement import plan_proposed, take_plan_judged
from kasane.shortages import take_shortage

from participation.domain.development import DevelopmentTarget
from participation.domain.match import Match
from participation.domain.support import ParticipationSupport
from participation.incoming import support_of, take_consent_withdrawn, take_role_request


def host_problem_reported(e) -> Outgoing | None:
    if not e.plan_owner:
        return None
    r = e.source_request
    return Outgoing(
        type="participation.host_problem_reported", version=1, household_id=e.household_id,
        payload={"report_id": e.report_id, "match_id": str(e.originator_id),
                 "request_id": r["request_id"], "case_id": r["case_id"], "plan_id": r["plan_id"],
                 "role_id": r["role_id"], "host": e.host, "kind": e.kind,
                 "reported_on": e.reported_on.isoformat(), "reported_at": utc_iso(e.reported_at),
                 "caseworker_id": e.caseworker_id},
        personal=e.personal if e.share_personal else None, recipient=e.plan_owner)


INTEGRATION = Integration(
    consumes=(
        # only ever addressed to one instance
        Consumes("collaboration.role_requested", 1, take_role_request, addressed=True),
        Consumes("collaboration.social_resource_shortage_found", 1,
                 partial(take_shortage, kind=DevelopmentTarget)),
        # stops sharing what came under that consent
        Consumes("consultation.consent_withdrawn", 1, take_consent_withdrawn),
        # … wherever it was obtained: outreach's too (broadcast, pseudonymous)
        Consumes("outreach.consent_withdrawn", 1, take_consent_withdrawn),
        # a 重層的支援会議's judgement of a plan proposed here
        Consumes("collaboration.plan_judged", 1,
                 partial(take_plan_judged, service="participation", plan_of=support_of), addressed=True),
    ),
    publishes=(Publishes(Match.HostProblemReported, host_problem_reported),
               Publishes(ParticipationSupport.PlanProposed, partial(plan_proposed, "participation"))))

#: What tests and tools read directly, derived from the table.
SUBSCRIPTIONS, handlers, translators = (INTEGRATION.subscriptions(), INTEGRATION.handlers,
                                        INTEGRATION.translators)
