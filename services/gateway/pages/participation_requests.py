"""参加支援の依頼の画面 — on the 世帯 page of a desk whose organisation also runs 参加支援 (a 社協
with both, for instance): the caseworker chooses the person to send and says why; the person's
own recorded consent, in force and for 参加支援, goes with the request (given by, how, when), so a
person without one cannot be chosen. The request reaches the organisation's participation
instance, whose staff then take the needs, the plan and the match (gateway.pages.participation)."""
from __future__ import annotations

from gateway.pages.forms import Form


def participation_consent(members: dict, person_id: str) -> dict | None:
    """The person's latest consent that is in force and covers 参加支援 (None: there is none)."""
    return next((c for c in members["consents"] if c["person_id"] == person_id and not c["withdrawn_at"]
                 and "participation" in c["purposes"]), None)


def read_participation_request(form: Form, members: dict) -> dict:
    """Who is sent (a member with consent for 参加支援) and why, refused by field."""
    persons = {p["person_id"]: p for p in members["persons"]}
    chosen = form.choice("participation_person", "参加支援を依頼する人", persons)
    consent = participation_consent(members, chosen) if chosen else None
    if chosen in persons and consent is None:
        form.refuse("participation_person", "参加支援への本人同意が記録されている人を選んでください")
    summary = form.required("participation_summary", "依頼の内容", 2000)
    person = persons.get(chosen or "", {})
    return {"household_id": members["household_id"], "summary": summary,
            "persons": [{k: person.get(k) for k in ("person_id", "name", "kana", "birth_date", "relation")}],
            "consent": consent and {k: consent[k] for k in ("given_by", "method", "given_at")}}
