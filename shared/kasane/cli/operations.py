"""`kasane up | down | status | teardown` — a deployment's processes and, for teardown, everything
it made on PostgreSQL and RabbitMQ."""
from __future__ import annotations

import socket
import sys
from concurrent.futures import ThreadPoolExecutor

import requests

from kasane.bus import credentials
from kasane.bus.access import user_name
from kasane.bus.admin import BrokerAdmin
from kasane.bus.operator import OPERATOR
from kasane.bus.organisations import accesses_of
from kasane.cli import directory, processes
from kasane.cli.platform import provision
from kasane.deployment import DeployedInstance
from kasane.errors import KasaneError
from kasane.store.provision import drop_instance


def check_ports(deployment: list[DeployedInstance]) -> None:
    """Stop before anything starts if a metrics port of an instance to start is taken."""
    for deployed in deployment:
        s = deployed.settings
        if s.metrics_port and processes.running_pid(s.instance) is None and not port_free(s.metrics_host, s.metrics_port):
            raise KasaneError(f"port {s.metrics_port} on {s.metrics_host} (metrics of {s.instance}) is taken; "
                              "free it, or move this deployment's ports with KASANE_PORT_OFFSET (e.g. 100)")


def port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the instance will bind
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def up(deployment: list[DeployedInstance], say=print) -> None:
    check_ports(deployment)
    provision(deployment)
    # The directory first: the instance registry (with every signing key) is then registered
    # before the others publish, so no copy refuses a new instance's first events.
    first = [d for d in deployment if d.settings.service == "directory"]
    if first:
        _start_missing(first)
        processes.wait_ready(first)
        directory.register_instances(deployment, say=say)
    _start_missing([d for d in deployment if d not in first])
    for instance, health in processes.wait_ready(deployment).items():
        say(f"up: {instance} ({health['service']}, {health['organisation']})")
    directory.complete_late_copies(deployment)


def _start_missing(deployment: list[DeployedInstance]) -> None:
    for deployed in deployment:
        if processes.running_pid(deployed.settings.instance) is None:
            processes.start(deployed)


def down(deployment: list[DeployedInstance], say=print) -> None:
    """Stop every instance at once: each signs its head on the way out, in parallel."""
    instances = [d.settings.instance for d in deployment]
    with ThreadPoolExecutor(max_workers=max(1, len(instances))) as pool:
        stopped = list(pool.map(processes.stop, instances))
    for instance, was_running in zip(instances, stopped):
        if was_running:
            say(f"down: {instance}")


def status(deployment: list[DeployedInstance], out=sys.stdout) -> None:
    for deployed in deployment:
        instance, pid = deployed.settings.instance, processes.running_pid(deployed.settings.instance)
        if pid is None:
            out.write(f"{instance}: stopped\n")
            continue
        out.write(f"{instance}: running, pid {pid}{progress_text(health_of(deployed))}\n")


def health_of(deployed: DeployedInstance) -> dict | None:
    s = deployed.settings
    if not s.metrics_port:
        return None
    try:
        answer = requests.get(f"http://{s.metrics_host}:{s.metrics_port}/health", timeout=2)
        return answer.json() if answer.ok else None
    except (requests.RequestException, ValueError):
        return None


def progress_text(health: dict | None) -> str:
    if health is None:
        return " — progress unknown (no answer on its metrics port)"
    parts = []
    if relay := health.get("relay"):
        parts.append(f"relay at {relay['position']} ({relay['relayed']} published, {relay['errors']} errors)")
    if consumer := health.get("consumer"):
        parts.append(f"consumer {consumer['consumed']} processed, {consumer['duplicates']} duplicates, "
                     f"{consumer['dead_lettered']} dead-lettered")
    parts.append(f"{health.get('checkpoints_signed', 0)} checkpoints signed")
    return " — " + "; ".join(parts)


def teardown(deployment: list[DeployedInstance], say=print) -> None:
    """Remove the deployment's databases and roles, its bus users and its vhost."""
    broker = deployment[0].settings.broker
    if broker.vhost == "/":
        raise KasaneError("the deployment's vhost is `/`; teardown removes only a vhost of its own")
    down(deployment, say)
    for deployed in deployment:
        drop_instance(deployed.settings)
        say(f"removed: database {deployed.settings.database.database_for(deployed.settings.instance)} and its roles")
    admin = BrokerAdmin(broker)
    organisations = [a.organisation for a in accesses_of(deployment)] + [OPERATOR]
    for organisation in organisations:
        admin.delete_user(user_name(organisation, broker.vhost))
        credentials.credentials_file(organisation, broker.vhost).unlink(missing_ok=True)
    admin.delete_vhost(broker.vhost)
    say(f"removed: vhost {broker.vhost} and {len(organisations)} bus user(s)")


def confirmed(deployment: list[DeployedInstance], ask=input) -> bool:
    first = deployment[0].settings
    try:
        answer = ask(f"Remove {len(deployment)} instance database(s) under prefix {first.database.prefix} "
                     f"and vhost {first.broker.vhost} with its bus users? Type the vhost name to confirm: ")
    except EOFError:
        return False
    return answer.strip() == first.broker.vhost
