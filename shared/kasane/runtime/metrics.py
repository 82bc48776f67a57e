"""稼働監視 — each instance's health and Prometheus metrics over HTTP, for city IT.

Served only when KASANE_METRICS_PORT is set (one port per instance), on 127.0.0.1 unless
KASANE_METRICS_HOST says otherwise, on a small eventlet WSGI server inside the instance's process: `/health` (JSON) and `/metrics` (Prometheus text format).
Nothing personal is ever exposed: counts, positions and lag only.
"""
from __future__ import annotations

import json
import logging
import time

import eventlet
from eventlet import wsgi

from kasane.errors import InfrastructureUnavailable

log = logging.getLogger(__name__)


def metrics_text(runtime) -> str:
    """Prometheus exposition of the instance's counters (events recorded, relayed, consumed,
    lag, dead-lettered, checkpoints)."""
    labels = f'instance="{runtime.settings.instance}",service="{runtime.settings.service}"'
    head = runtime.app.recorder.max_notification_id() or 0
    lines = [("kasane_up", "gauge", "1 while the instance runs", 1),
             ("kasane_events_recorded", "gauge", "position of the newest event in the instance's log", head)]
    if runtime.relay:
        stats = runtime.relay.stats
        lines += [("kasane_events_relayed_total", "counter", "integration events published", stats.relayed),
                  ("kasane_relay_position", "gauge", "log position the relay has published up to", stats.position),
                  ("kasane_relay_lag", "gauge", "events recorded but not yet relayed", max(0, head - stats.position)),
                  ("kasane_relay_errors_total", "counter", "relay passes that failed and were retried", stats.errors)]
    if runtime.consumer:
        stats = runtime.consumer.stats
        lines += [("kasane_events_consumed_total", "counter", "integration events processed", stats.consumed),
                  ("kasane_events_duplicate_total", "counter", "redelivered events recognised by the inbox", stats.duplicates),
                  ("kasane_events_dead_lettered_total", "counter", "messages sent to the dead-letter queue", stats.dead_lettered),
                  ("kasane_events_refused_origin_total", "counter",
                   "messages refused because their origin could not be shown authentic", stats.refused),
                  ("kasane_consumer_retries_total", "counter", "batches retried after a transient failure", stats.retries),
                  ("kasane_inbox_oldest_age_seconds", "gauge", "age of the oldest message delivered and not yet processed",
                   round(stats.oldest_pending_age(time.time()), 3))]
    lines.append(("kasane_checkpoints_signed_total", "counter", "signed chain checkpoints", runtime.checkpointer.signed))
    out = []
    for name, kind, help_text, value in lines:
        out += [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}", f"{name}{{{labels}}} {value}"]
    return "\n".join(out) + "\n"


def make_app(runtime):
    def app(environ, start_response):
        path = environ.get("PATH_INFO", "/")
        try:
            if path == "/metrics":
                body, kind = metrics_text(runtime), "text/plain; version=0.0.4; charset=utf-8"
            elif path == "/health":
                body, kind = json.dumps(runtime.health(), ensure_ascii=False), "application/json"
            else:
                start_response("404 Not Found", [("Content-Type", "text/plain")])
                return [b"not found\n"]
        except Exception as exc:  # noqa: BLE001 — e.g. the database is down: say so, stay up
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [f"unavailable: {type(exc).__name__}\n".encode()]
        start_response("200 OK", [("Content-Type", kind)])
        return [body.encode("utf-8")]
    return app


def listen(host: str, port: int):
    """Bind the metrics port before the instance counts as started: a taken port stops it."""
    try:
        return eventlet.listen((host, port))  # SO_REUSEADDR, as kasane up's check
    except OSError as exc:
        raise InfrastructureUnavailable(
            f"metrics port {port} on {host} is taken ({exc.strerror}); free it, or give this "
            "deployment other ports (KASANE_PORT_OFFSET, KASANE_METRICS_PORT)") from None


def serve(runtime, listener) -> None:
    """Run until the instance stops (a nameko managed thread)."""
    log.info("metrics for %s on %s:%d", runtime.settings.instance, *listener.getsockname()[:2])
    wsgi.server(listener, make_app(runtime), log_output=False)
