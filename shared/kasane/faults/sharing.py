"""共有の根拠 — the checker's model of who may send a person's details where, over the audit
ledger's copy of every integration event (pure; tests/unit/test_fault_checker.py):

- a consultation desk's referral or つなぎ, an outreach instance's つなぎ (`person_connected`) or
  引き継ぎ (`person_handed_over`) carries only persons whose unwithdrawn consent, recorded earlier
  in the sender's own log (the outreach case's, for outreach), names the recipient's
  organisation or the sharing's purpose;
- an outreach hand-over on a 支援会議 basis is backed by a decision addressed to that outreach
  instance about the household, sharing allowed, the recipient's organisation a member;
- participation sends what a host said about a person (`host_problem_reported`) only when the
  role request it answers came under consent (it carried the person's details), addressed to
  that participation instance, and only to the plan's owner;
- a 支援会議 decision goes only to an instance of a member organisation.
"""
from __future__ import annotations

from kasane.faults.violations import OUTSIDE_MEETING, WITHOUT_CONSENT, Violation

# What a desk's sharing is for (consultation.domain.consent: organisation named, or purpose given).
PURPOSE_OF = {"consultation.household_referred": "collaboration", "consultation.connected_to_agency": "connection",
              "outreach.person_connected": "connection"}
CONSENT_GIVEN = {"consultation.consent_recorded", "outreach.consent_obtained"}
CONSENT_WITHDRAWN = {"consultation.consent_withdrawn", "outreach.consent_withdrawn"}


def recipient_of(envelope: dict) -> str | None:
    return (envelope.get("recipient") or {}).get("instance")


def purpose_of(envelope: dict) -> str:
    if envelope["type"] == "outreach.person_handed_over":
        return "connection" if envelope["payload"].get("to_service") == "consultation" else "collaboration"
    return PURPOSE_OF[envelope["type"]]


def consent_scope(ledger: dict, organisations: dict) -> list[Violation]:
    """Every person a desk's or an outreach instance's sharing carried was covered when it left."""
    found = []
    for origin, envelopes in sorted(ledger.items()):
        given: dict = {}  # (outreach case or None, consent id) -> payload, while unwithdrawn
        for position, envelope in sorted(envelopes.items()):
            payload, kind = envelope.get("payload", {}), envelope["type"]
            scope = payload.get("outreach_case_id")
            if kind in CONSENT_GIVEN:
                given[(scope, payload["consent_id"])] = payload
            elif kind in CONSENT_WITHDRAWN:
                given.pop((scope, payload["consent_id"]), None)
            elif (kind in PURPOSE_OF or kind == "outreach.person_handed_over") and payload.get("personal"):
                if (payload.get("basis") or {}).get("kind") == "support_meeting":
                    found += _without_decision(origin, position, envelope, ledger, organisations)
                else:
                    in_scope = [c for (case, _), c in given.items() if case == scope]
                    found += _uncovered(origin, position, envelope, in_scope, organisations)
    return found


def _uncovered(origin, position, envelope, given, organisations) -> list[Violation]:
    recipient = recipient_of(envelope)
    organisation, purpose = organisations.get(recipient), purpose_of(envelope)
    covered = {c["person_id"] for c in given
               if organisation in c.get("organisations", []) or purpose in c.get("purposes", [])}
    return [Violation(WITHOUT_CONSENT, recipient or origin,
                      f"{origin}#{position} ({envelope['type']}) carried person {p.get('person_id')} "
                      "whom no unwithdrawn consent covered")
            for p in envelope["payload"]["personal"].get("persons") or [] if p.get("person_id") not in covered]


def _without_decision(origin, position, envelope, ledger, organisations) -> list[Violation]:
    """A hand-over under a 支援会議 decision: that decision reached this outreach instance."""
    meeting = envelope["payload"]["basis"].get("support_meeting") or {}
    organisation = organisations.get(recipient_of(envelope))
    backed = any(d["type"] == "collaboration.support_meeting_decided" and recipient_of(d) == origin
                 and d["payload"].get("meeting_id") == meeting.get("meeting_id")
                 and d.get("household_id") == envelope.get("household_id")
                 and d["payload"].get("sharing_allowed") and organisation in (d["payload"].get("members") or [])
                 for envelopes in ledger.values() for d in envelopes.values())
    return [] if backed else [Violation(
        WITHOUT_CONSENT, recipient_of(envelope) or origin,
        f"{origin}#{position} ({envelope['type']}) shared under 支援会議 {meeting.get('meeting_id')}, "
        "which no decision addressed here backs for the recipient")]


def participation_sharing(ledger: dict) -> list[Violation]:
    """A host's report carries personal details only for a request that came under consent,
    addressed to that participation instance, and goes to the plan's owner only."""
    requests = {(recipient_of(e), e["payload"].get("request_id")): e
                for envelopes in ledger.values() for e in envelopes.values()
                if e["type"] == "collaboration.role_requested"}
    found = []
    for origin, envelopes in sorted(ledger.items()):
        for position, envelope in sorted(envelopes.items()):
            if envelope["type"] != "participation.host_problem_reported":
                continue
            request = requests.get((origin, envelope["payload"].get("request_id")))
            if request is None or recipient_of(envelope) != request["origin"]["instance"]:
                found.append(Violation(WITHOUT_CONSENT, recipient_of(envelope) or origin,
                                       f"{origin}#{position} report sent to {recipient_of(envelope)}, "
                                       "not the owner of the plan whose request it answers"))
            elif envelope["payload"].get("personal") and not request["payload"].get("personal"):
                found.append(Violation(WITHOUT_CONSENT, recipient_of(envelope) or origin,
                                       f"{origin}#{position} report carried personal details of a request "
                                       f"({request['origin']['instance']}#{request['position']}) made without consent"))
    return found


def meeting_membership(ledger: dict, organisations: dict) -> list[Violation]:
    found = []
    for origin, envelopes in sorted(ledger.items()):
        for position, envelope in sorted(envelopes.items()):
            if envelope["type"] != "collaboration.support_meeting_decided":
                continue
            recipient = recipient_of(envelope)
            members = set(envelope["payload"].get("members") or [])  # the member organisations' ids
            if organisations.get(recipient) not in members:
                found.append(Violation(OUTSIDE_MEETING, recipient or origin,
                                       f"{origin}#{position} decision sent to {recipient}, whose organisation "
                                       "is not a member of the meeting"))
    return found
