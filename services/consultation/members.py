"""世帯員と本人同意 — a household's persons (personal details) and each person's consents, as
the caseworkers' 世帯 page shows them. The caller records the read (閲覧記録)."""
from __future__ import annotations

from uuid import UUID


def household_members(app, household_id: UUID) -> dict:
    household = app._current(app.repository.get(household_id))
    persons = [dict(household.persons[p]) for p in household.person_ids if p in household.persons]
    consents = [_consent_view(c) for record in app._all_consents(household) if record
                for c in record.consents.values()]
    return {"household_id": str(household.id), "persons": persons,
            "consents": sorted(consents, key=lambda c: c["given_at"], reverse=True)}


def _consent_view(consent: dict) -> dict:
    withdrawn = consent["withdrawn_at"]
    return {**consent, "given_at": consent["given_at"].isoformat(),
            "withdrawn_at": withdrawn.isoformat() if withdrawn else None}
