"""`make bench`: what signing every integration event costs (issue 14).

Per event the relay signs (Ed25519 over the event id, origin, position and the digest of the
canonical envelope) and every consumer verifies. Measured beside what the relay already does
per event in the same run — encoding the envelope as JSON for the wire — so the ratio says how
much the signature adds to the per-event work of a publisher and of a consumer.
"""
from __future__ import annotations

import json
import time
from uuid import uuid4

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kasane.audit.signing import public_key_hex
from kasane.bus.authenticity import event_signature_holds, sign_event
from kasane.bus.envelope import event_id_for

EVENTS = 5000


def envelope(position: int) -> dict:
    return {"event_id": event_id_for("bench-desk", position), "type": "consultation.household_referred",
            "version": 1, "occurred_at": "2026-12-01T00:00:00Z", "household_id": str(uuid4()),
            "origin": {"service": "consultation", "organisation": "org-bench", "instance": "bench-desk"},
            "position": position, "correlation_id": str(uuid4()), "causation_id": str(uuid4()),
            "payload": {"referral_id": str(uuid4()), "reasons": ["compound_issues"],
                        "issue_categories": ["8050", "hikikomori"], "urgency": "priority",
                        "personal": {"persons": [{"name": "見本 ハナ", "kana": "ミホン ハナ",
                                                  "birth_date": "1942-05-10"}]}}}


def per_second(work, items) -> float:
    started = time.perf_counter()
    for item in items:
        work(item)
    return len(items) / (time.perf_counter() - started)


def main() -> int:
    key = Ed25519PrivateKey.generate()
    public = public_key_hex(key)
    events = [envelope(n) for n in range(1, EVENTS + 1)]
    signatures = [sign_event(key, e) for e in events]
    encode = per_second(lambda e: json.dumps(e, ensure_ascii=False).encode(), events)
    sign = per_second(lambda e: sign_event(key, e), events)
    verify = per_second(lambda pair: event_signature_holds(public, pair[1], pair[0]),
                        list(zip(events, signatures)))
    print("== kasane bench: event signatures (Ed25519) ==")
    print(f"baseline: JSON encoding of the envelope      {encode:9.0f} events/s")
    print(f"  signing (relay)                             {sign:9.0f} events/s  "
          f"= {encode / sign:5.2f} x the encoding's cost per event")
    print(f"  verifying (consumer, audit ledger)          {verify:9.0f} events/s  "
          f"= {encode / verify:5.2f} x the encoding's cost per event")
    print(f"  per event: sign {1e6 / sign:.0f} µs, verify {1e6 / verify:.0f} µs "
          f"(backlog drain runs at ~1,000 events/s: 1 ms per event)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
