"""支援経過報告書 (`kasane audit history --html`): Japan time with the offset, organisations by
their directory names, the caseworker where an event records one, a Japanese font named and
embeddable, and an unknown household refused in one sentence."""
import io
from contextlib import contextmanager
from types import SimpleNamespace
from uuid import uuid4

from audit.history import replay
from audit.report import render_html
from kasane.cli import audit as audit_cli

HOUSEHOLD = str(uuid4())


def envelope(type_, payload, organisation="matsudo-city", position=1):
    return {"type": type_, "version": 1, "occurred_at": "2026-11-20T15:30:00Z", "position": position,
            "event_id": str(uuid4()), "household_id": HOUSEHOLD, "payload": payload,
            "origin": {"service": type_.split(".")[0], "organisation": organisation, "instance": "i"}}


def test_the_report_shows_japan_time_directory_names_and_the_caseworker_in_a_japanese_font(tmp_path, monkeypatch):
    meeting = envelope("collaboration.support_meeting_decided", {
        "meeting_id": str(uuid4()), "decision_id": str(uuid4()), "held_on": "2026-11-21",
        "members": [], "recipient_organisation": "matsudo-city", "role": None,
        "sharing_allowed": False, "sharing_until": None, "recorded_by": "sw-takikan-7"})
    history = replay(HOUSEHOLD, [meeting])
    font = tmp_path / "jp.woff2"
    font.write_bytes(b"font-bytes")
    html = render_html(history, audit_cli.organisation_names())
    assert "2026-11-21 00:30:00 +09:00" in html and "15:30:00Z" not in html
    assert "松戸市" in html and ">matsudo-city<" not in html
    assert "sw-takikan-7" in html
    assert '"Noto Sans CJK JP"' in html and "@font-face" in html
    monkeypatch.setenv("KASANE_REPORT_FONT", str(font))  # a font file on the machine is embedded
    assert "base64,Zm9udC1ieXRlcw==" in render_html(history)


def test_an_unknown_household_is_refused_in_one_sentence_with_a_non_zero_exit(monkeypatch, capsys):
    ledger = SimpleNamespace(settings=SimpleNamespace(service="audit", organisation="city",
                                                      instance="ledger", broker=None))
    monkeypatch.setattr(audit_cli, "load_deployment", lambda: [ledger])

    @contextmanager
    def cluster(broker, reader=None):  # the reader travels in the call's context
        yield {"ledger": SimpleNamespace(history=lambda q: replay(q["household_id"], []))}

    monkeypatch.setattr(audit_cli, "rpc_cluster", cluster)
    out = io.StringIO()
    assert audit_cli.history(HOUSEHOLD, None, "html", "監査人", out=out) != 0
    assert out.getvalue() == ""
    assert capsys.readouterr().err.count("\n") == 1
