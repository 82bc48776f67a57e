"""A short fault campaign (issue 22): every service with two desks and two outreach instances on
the campaign's own broker node, a seeded workload and every kind of fault, then the checker over
every store, queue and the audit ledger must find nothing — and must find each violation planted
afterwards in the real stores (a deleted inbox row, a duplicated effect, a message to the wrong
instance, a corrupted event). `make faults` runs a longer campaign."""
from __future__ import annotations

import pytest

from kasane.bus.admin import BrokerAdmin
from kasane.faults import campaign, checker, history
from kasane.faults.observe import observe
from kasane.faults.schedule import KINDS
from kasane.store.provision import admin_connection

pytestmark = [pytest.mark.integration, pytest.mark.e2e]

CAUSE = "convert_from(e.state, 'UTF8')::jsonb -> '_meta' ->> 'causation_id'"  # of an event `e`
WITH_EFFECTS = f"EXISTS (SELECT 1 FROM kasane_events e WHERE {CAUSE} = i.event_id::text)"


def tampering(deployed, *statements):
    """As the superuser with triggers off: what only a tamperer (or a bug) could do."""
    s = deployed.settings
    with admin_connection(s.database, s.database.database_for(s.instance)) as conn:
        conn.execute("SET session_replication_role = replica")
        return [conn.execute(sql, params).fetchall() if sql.lstrip().startswith("SELECT") or "RETURNING" in sql
                else conn.execute(sql, params) for sql, params in statements]


def plant(deployment) -> list:
    """One violation of each kind; returns each kind with the instance it was planted at."""
    by_service = {d.settings.service: d for d in deployment}
    takikan, desk = by_service["collaboration"], by_service["consultation"]
    [[(origin, position, event_id)]] = tampering(takikan, (
        "SELECT i.origin_instance, i.position, i.event_id::text FROM kasane_inbox i WHERE i.event_type = "
        f"'consultation.household_referred' AND {WITH_EFFECTS} ORDER BY i.position LIMIT 1", ()))
    tampering(takikan, ("DELETE FROM kasane_inbox WHERE origin_instance = %s AND position = %s", (origin, position)))
    tampering(takikan, (  # the same incoming event's effect once more, in a transaction of its own
        "INSERT INTO kasane_events (originator_id, originator_version, topic, state) "
        "SELECT e.originator_id, e.originator_version + 1000, e.topic, e.state FROM kasane_events e "
        f"WHERE {CAUSE} = (SELECT i.event_id::text FROM kasane_inbox i WHERE {WITH_EFFECTS} "
        "ORDER BY i.position DESC LIMIT 1) LIMIT 1", ()))
    other = next(d for d in deployment if d.settings.service == "consultation" and d is not desk)
    tampering(other, ("INSERT INTO kasane_inbox (origin_instance, position, event_id, event_type) "
                      "VALUES (%s, %s, %s, 'consultation.household_referred')", (origin, position, event_id)))
    tampering(desk, ("UPDATE kasane_events SET state = convert_to(replace(convert_from(state, 'UTF8'), "
                     "'faults-sw', 'faults-sX'), 'UTF8') WHERE notification_id = (SELECT min(notification_id) "
                     "FROM kasane_events WHERE convert_from(state, 'UTF8') LIKE '%%faults-sw%%')", ()))
    return [(checker.LOST, takikan), (checker.EFFECT_WITHOUT_INBOX, takikan), (checker.DUPLICATE_EFFECT, takikan),
            (checker.WRONG_RECIPIENT, other), (checker.CORRUPTED, desk), *lost_before_the_ledger(deployment)]


ENVELOPE = "convert_from(state, 'UTF8')::jsonb -> 'envelope'"


def lost_before_the_ledger(deployment) -> list:
    """An event 多機関協働 committed and published, gone from the audit ledger and from every
    instance that consumed it: only the store's own log still tells it (found as unrecorded at
    多機関協働, and as lost wherever it had been processed)."""
    by_service = {d.settings.service: d for d in deployment}
    takikan, ledger = by_service["collaboration"].settings.instance, by_service["audit"]
    consumers = [d for d in deployment if d is not ledger]
    [event_id] = next(rows[0] for d in consumers if (rows := tampering(d, (
        "SELECT event_id::text FROM kasane_inbox WHERE origin_instance = %s ORDER BY position DESC LIMIT 1",
        (takikan,)))[0]))
    tampering(ledger, (f"DELETE FROM kasane_events WHERE topic LIKE 'audit.%%EntryRecorded' "
                       f"AND {ENVELOPE} ->> 'event_id' = %s", (event_id,)))
    had_it = [d for d in consumers if tampering(
        d, ("DELETE FROM kasane_inbox WHERE event_id = %s RETURNING position", (event_id,)))[0]]
    return [(checker.UNRECORDED, by_service["collaboration"]), *[(checker.LOST, d) for d in had_it]]


def test_a_short_campaign_under_every_kind_of_fault_holds_and_its_checker_finds_each_planted_violation(tmp_path):
    found: set = set()
    expected: list = []

    def inspect(deployment, result):
        expected.extend((kind, deployed.settings.instance) for kind, deployed in plant(deployment))
        violations = checker.check(observe(deployment, BrokerAdmin(deployment[0].settings.broker)))
        found.update((v.kind, v.instance) for v in violations)

    result = campaign.run(seed=22, minutes=1.5, out=tmp_path, inspect=inspect)
    assert result["violations"] == [], result["violations"][:10]
    assert set(result["faults"]) == set(KINDS) and not result["faults_failed"]
    assert result["answers"].get("ok", 0) > 40 and result["restarts"]
    assert (tmp_path / "history-22.jsonl").exists() and (tmp_path / "report-22.json").exists()
    assert len(expected) >= 7
    for kind, instance in expected:
        assert (kind, instance) in found, f"{kind} planted at {instance} not found: {sorted(found)}"
    assert any(m.get("via") == "gateway" and m["answer"] == "ok" for m in history.read(tmp_path / "history-22.jsonl")
               if m["kind"] == "command"), "no command went through the gateway"
