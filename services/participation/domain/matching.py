"""マッチング候補 — hosts proposed for a person, ranked and explained (seed 002 §III(1)イ:
本人の希望及びニーズを踏まえた丁寧なマッチング).

A host is a candidate only if it offers something the person wishes and has a free place; it
is then ranked by how well it fits: the wished participation (in the order of the wishes), the
person's area, the days both can do, and transport. Every point comes with the reason in
Japanese, so the caseworker sees why a host is proposed and why another is not first.
"""
from __future__ import annotations

from kasane_contracts.vocabulary import PARTICIPATION_OFFERS, WEEKDAYS

from participation.domain.host import Host

OFFER_POINTS = 3  # a wished participation weighs most: it is what the person asked for
AREA_POINTS = 2
DAY_POINTS = 1


def propose(needs: dict, hosts: list[Host]) -> list[dict]:
    """Candidates best first: [{host_id, name, offer, score, reasons}]."""
    wished = list(needs.get("wished_offers") or [])
    candidates = []
    for host in hosts:
        offers = [o for o in wished if o in host.offers]
        if not host.active or not offers or host.free_places < 1:
            continue
        offer = offers[0]
        score = OFFER_POINTS * (len(wished) - wished.index(offer))
        reasons = [f"希望する参加の形（{PARTICIPATION_OFFERS[offer]}）を受け入れている"]
        if needs.get("area") and host.area == needs["area"]:
            score += AREA_POINTS
            reasons.append("本人と同じ圏域にある")
        elif needs.get("area") and not needs.get("can_travel", True):
            continue  # the person cannot travel outside their area: such a host does not fit
        elif needs.get("area"):
            reasons.append("圏域外（移動が必要）")
        days = [d for d in needs.get("available_days") or [] if d in (host.conditions.get("days") or [])]
        if days:
            score += DAY_POINTS * len(days)
            reasons.append("参加できる曜日が合う（" + "・".join(WEEKDAYS[d] for d in days) + "）")
        if needs.get("support_needed") and host.conditions.get("accompaniment"):
            score += 1
            reasons.append("同行・支援を受け入れられる")
        candidates.append({"host_id": str(host.id), "name": host.name, "kind": host.kind,
                           "offer": offer, "score": score, "reasons": reasons,
                           "free_places": host.free_places})
    return sorted(candidates, key=lambda c: (-c["score"], c["name"]))
