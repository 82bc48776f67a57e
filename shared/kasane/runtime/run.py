"""Run one service instance as its own process: `python -m kasane.runtime.run`.

The instance is described by the environment (see kasane.config); `kasane up` sets it from
deploy/instances.yaml. The nameko service is named after the instance, so that several
instances of one service (two organisations' consultation desks) each get their own RPC queue.
"""
import kasane.greening  # noqa: F401 — must come before anything imports socket or psycopg

import errno
import os
import logging
import signal
import sys

import eventlet
from nameko.runners import ServiceRunner

from kasane.config import ConfigurationError, InstanceSettings
from kasane.errors import KasaneError
from kasane.runtime.dependency import preflight
from kasane.runtime.remote import register_remote_errors
from kasane.services import service_class

log = logging.getLogger("kasane.run")


def service_class_for(settings: InstanceSettings) -> type:
    base = service_class(settings.service)
    return type(base.__name__, (base,), {"name": settings.instance})


def nameko_config(settings: InstanceSettings) -> dict:
    config = {"AMQP_URI": settings.broker.amqp_uri, "serializer": "json",
              "max_workers": settings.max_workers}
    if settings.http_port:  # the gateway's HTTP API (nameko's http entrypoint, werkzeug)
        config["WEB_SERVER_ADDRESS"] = f"{settings.http_host}:{settings.http_port}"
        config["KASANE_HTTPS"] = os.environ.get("KASANE_HTTPS") == "on"
        if os.environ.get("KASANE_SESSION_IDLE_SECONDS"):  # 30 min unless set (tests shorten it)
            config["KASANE_SESSION_IDLE_SECONDS"] = float(os.environ["KASANE_SESSION_IDLE_SECONDS"])
    return config


def main() -> int:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = InstanceSettings.from_env()
        service = service_class_for(settings)
    except ConfigurationError as exc:
        print(f"kasane: {exc}", file=sys.stderr)
        return 2
    try:
        preflight(settings)
    except (KasaneError, ConfigurationError) as exc:  # e.g. a lost key store or master key
        print(f"kasane: {exc}", file=sys.stderr)
        return 3
    register_remote_errors()
    return run(settings, service)


def run(settings: InstanceSettings, service: type) -> int:
    """Run the service until SIGTERM or SIGINT; 3 when it cannot start (one sentence)."""
    runner = ServiceRunner(nameko_config(settings))
    runner.add_service(service)

    def shutdown(signum, frame):
        eventlet.spawn_n(runner.stop)

    signal.signal(signal.SIGTERM, shutdown)
    signal.signal(signal.SIGINT, shutdown)
    try:
        runner.start()
    except KasaneError as exc:  # one sentence, no traceback: the database, a key, a port
        print(f"kasane: {exc}", file=sys.stderr)
        return 3
    log.info("%s (%s) running for %s", settings.instance, settings.service, settings.organisation)
    waiter = eventlet.spawn(runner.wait)
    while True:
        try:
            waiter.wait()
            return 0
        except OSError as exc:
            if exc.errno != errno.EINTR:
                raise

if __name__ == "__main__":
    sys.exit(main())
