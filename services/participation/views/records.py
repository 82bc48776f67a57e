"""参加支援の記録 — how supports, hosts and matches read when queried: codes with their 日本語
labels, dates as ISO text. This is the instance's own record, read by its own staff, so a
support carries its personal parts (and the query is recorded as a read)."""
from __future__ import annotations

from kasane.jsonable import jsonable
from kasane_contracts.vocabulary import (FOLLOW_UP_WITH, HOST_KINDS, HOST_PROBLEM_KINDS,
                               PARTICIPATION_END_REASONS, PARTICIPATION_OFFERS,
                               PARTICIPATION_REQUEST_SOURCES, PARTICIPATION_STATUSES, label)

from participation.domain.development import DevelopmentTarget
from participation.domain.host import Host
from participation.domain.match import Match
from participation.domain.support import ParticipationSupport


def support_view(support: ParticipationSupport, matches: list[Match] = ()) -> dict:
    return jsonable({
        "support_id": support.id, "household_id": support.household_id,
        "source": support.source, "source_label": PARTICIPATION_REQUEST_SOURCES[support.source],
        "request": support.request, "received_at": support.received_at,
        "status": support.status, "status_label": PARTICIPATION_STATUSES[support.status],
        "persons": list(support.persons.values()), "background": support.background,
        "needs": support.needs, "plan": support.plan, "plans_made": support.plans_made,
        # 重層的支援会議の判断 where the city's profile has the plan judged (issue 19)
        "in_force_version": support.in_force_version, "judgements": support.judgements,
        "work_experience_registered_on": support.work_experience_registered_on,
        "plan_owner": support.plan_owner, "closed": support.closed,
        "matches": [match_view(m) for m in matches],
    })


def support_row(support: ParticipationSupport) -> dict:
    """One line of the list of supports: what it is and where it stands, nothing personal."""
    return jsonable({"support_id": support.id, "household_id": support.household_id,
                     "source_label": PARTICIPATION_REQUEST_SOURCES[support.source],
                     "status_label": PARTICIPATION_STATUSES[support.status],
                     "received_at": support.received_at, "running_matches": support.running_matches})


def host_view(host: Host) -> dict:
    return jsonable({
        "host_id": host.id, "name": host.name, "kind": host.kind,
        "kind_label": HOST_KINDS[host.kind],
        "offers": [{"offer": o, "label": PARTICIPATION_OFFERS[o]} for o in host.offers],
        "area": host.area, "capacity": host.capacity, "free_places": host.free_places,
        "contact_organisation": host.contact_organisation, "conditions": host.conditions,
        "developed": host.developed, "registered_on": host.registered_on,
        "development_target_id": host.development_target_id,
    })


def match_view(match: Match) -> dict:
    return jsonable({
        "match_id": match.id, "support_id": match.support_id, "host_id": match.host_id,
        "offer": match.offer, "offer_label": PARTICIPATION_OFFERS[match.offer],
        "matched_on": match.matched_on, "started_on": match.started_on,
        "ranking": match.ranking, "reason_for_choice": match.reason_for_choice,
        "sessions": sorted(match.sessions), "sessions_count": len(match.sessions),
        "follow_ups": [{**f, "with_label": FOLLOW_UP_WITH[f["with"]]} for f in match.follow_ups.values()],
        "problems": [{**p, "kind_label": HOST_PROBLEM_KINDS[p["kind"]]} for p in match.problems],
        "ended": match.ended and {**match.ended,
                                  "reason_label": label(PARTICIPATION_END_REASONS, match.ended["reason"])},
    })


def target_view(target: DevelopmentTarget) -> dict:
    return jsonable({
        "target_id": target.id, "shortage_id": target.shortage_id,
        "meeting_id": target.meeting_id, "from_instance": target.origin_instance,
        "resource_kind": target.resource_kind, "area": target.area,
        "description": target.description, "found_on": target.found_on, "met_by": target.met_by,
    })
