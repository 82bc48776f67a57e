"""故障試験の実行 — one campaign: its own broker node and databases, the deployment (every service,
two consultation desks, two outreach instances, the first desk's organisation's gateway), each
instance reaching the broker through a proxy of the harness's own, the workload and the seeded
faults together, a drain, then the checker over everything, and a report. Everything it made is
removed at the end, on failure too; the history and the report stay in `out`.
"""
from __future__ import annotations

import os
import random
import secrets
import shutil
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import yaml

from kasane.bus.admin import BrokerAdmin
from kasane.cli import operations
from kasane.cli.demo import _apply_city_profile
from kasane.deployment import DEFAULT_FILE, load_deployment
from kasane.faults import database, report
from kasane.faults.catch_up import wait_caught_up
from kasane.faults.checker import check
from kasane.faults.door import GatewayDoor, add_caseworker
from kasane.faults.history import History
from kasane.faults.injectors import Injector
from kasane.faults.node import BrokerNode
from kasane.faults.observe import observe
from kasane.faults.proxy import FaultyProxy
from kasane.faults.schedule import schedule
from kasane.faults.supervisor import Supervisor
from kasane.faults.workload import Workload
from kasane.services import subscriptions
from kasane.store.provision import drop_instance

WORKLOAD_SHARE = 0.85  # of the run; the faults end at 70 %, the rest is for catching up


def run(seed: int, minutes: float, out: Path, rate: float = 2.0, catch_up_bound: float = 120.0,
        say=print, inspect=None) -> dict:
    """`inspect(deployment, result)`, when given, is called after the report and before anything
    is removed (the tests plant violations there and run the checker again)."""
    seconds = minutes * 60
    tag = f"{seed}-{secrets.token_hex(3)}"
    work = Path(tempfile.mkdtemp(prefix=f"kasane-faults-{tag}-"))
    node = BrokerNode.create(tag)
    say(f"faults: seed {seed}, {minutes:g} min; broker node {node.name} on port {node.amqp_port}")
    node.start()
    try:
        with _campaign_environment(tag, node, work):
            return _run(seed, seconds, out, rate, catch_up_bound, node, say, inspect)
    finally:
        node.remove()
        shutil.rmtree(out / f"logs-{seed}", ignore_errors=True)  # the instances' logs stay beside the history
        shutil.copytree(work / "state" / "log", out / f"logs-{seed}", dirs_exist_ok=True) \
            if (work / "state" / "log").exists() else None
        shutil.rmtree(work, ignore_errors=True)


@contextmanager
def _campaign_environment(tag: str, node: BrokerNode, work: Path):
    """The campaign's own prefix, vhost, node, ports and state (never another deployment's)."""
    document = yaml.safe_load(DEFAULT_FILE.read_text(encoding="utf-8"))
    document["instances"] = _with_one_gateway(document["instances"])
    ports = _free_ports(len(document["instances"]) + 1)
    for instance in document["instances"]:
        if instance["service"] == "gateway":
            instance["http_port"] = ports + len(document["instances"])
    (work / "instances.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    env = {"KASANE_DEPLOYMENT": str(work / "instances.yaml"),
           "KASANE_DB_PREFIX": "kasane_faults_" + tag.replace("-", "_"), "KASANE_AMQP_VHOST": "kasane-faults",
           "KASANE_AMQP_HOST": "127.0.0.1", "KASANE_AMQP_PORT": str(node.amqp_port),
           "KASANE_AMQP_USER": "guest", "KASANE_AMQP_PASSWORD": "guest",
           "KASANE_AMQP_MANAGEMENT_URL": f"http://127.0.0.1:{node.management_port}",
           "KASANE_STATE_DIR": str(work / "state"), "KASANE_PG_POOL_SIZE": "2",
           "KASANE_METRICS_PORT": str(ports)}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _with_one_gateway(instances: list) -> list:
    """The first desk's organisation keeps its gateway (part of the workload goes through it over
    HTTP, on the free port after the metrics ports); the other gateways are left out."""
    desk = next(i for i in instances if i["service"] == "consultation")
    kept = []
    for instance in instances:
        if instance["service"] == "gateway":
            if instance["organisation"] != desk["organisation"]:
                continue
            instance = {k: v for k, v in instance.items() if k != "metrics_port"}
        kept.append(instance)
    return kept


def _free_ports(count: int) -> int:
    """The first of `count` consecutive free ports (metrics of each instance, in file order), below
    the kernel's ephemeral range: a port from that range can be taken, while an instance is down
    after kill -9, by any outgoing connection, and the restarted instance could not bind it again."""
    draw = random.Random()
    while True:
        base = draw.randrange(20000, 30000 - count)
        if all(operations.port_free("127.0.0.1", base + i) for i in range(count)):
            return base


def _run(seed, seconds, out, rate, catch_up_bound, node, say, inspect) -> dict:
    deployment = load_deployment()
    history = History(out / f"history-{seed}.jsonl")
    proxies = {d.settings.instance: FaultyProxy(node.amqp_port) for d in deployment}
    behind = _behind_proxies(deployment, proxies)
    supervisor = Supervisor(behind)
    try:
        operations.up(behind, say=lambda line: None)
        _apply_city_profile(deployment, say=lambda line: None)
        say(f"faults: {len(deployment)} instances up (databases {deployment[0].settings.database.prefix}_*)")
        result = _drive(seed, seconds, out, rate, catch_up_bound, node, deployment, history, supervisor, proxies, say)
        if inspect is not None:
            inspect(deployment, result)
        return result
    finally:
        supervisor.stop()
        for proxy in proxies.values():
            proxy.close()
        history.close()
        for deployed in deployment:
            database.allow(deployed.settings.database, deployed.settings.instance)
            drop_instance(deployed.settings)


def _behind_proxies(deployment: list, proxies: dict) -> list:
    """The deployment as its processes run it: each instance reaches the broker node through its
    own proxy (where the network faults happen); the harness itself reaches the node directly."""
    return [replace(d, settings=replace(d.settings, broker=replace(
        d.settings.broker, port=proxies[d.settings.instance].port))) for d in deployment]


def _drive(seed, seconds, out, rate, catch_up_bound, node, deployment, history, supervisor, proxies, say) -> dict:
    admin = BrokerAdmin(deployment[0].settings.broker)
    faults, injector = _prepare(seed, seconds, rate, node, deployment, history, supervisor, proxies)
    workload, caught_up = _together(seed, seconds, rate, catch_up_bound, deployment, history, injector, faults, admin)
    say(f"faults: {workload.issued} commands, {len(faults)} faults")
    supervisor.stop()
    observations = observe(deployment, admin)
    violations = check(observations, history.of_kind("command"), caught_up, catch_up_bound)
    result = report.summarise(seed, seconds, history, faults, supervisor.restarts, caught_up, violations, observations)
    report.write(result, out)
    say(report.text(result))
    return result


def _prepare(seed, seconds, rate, node, deployment, history, supervisor, proxies):
    """The supervisor watching, the schedule drawn and written."""
    bindings = {d.settings.instance: _bindings(d) for d in deployment if _bindings(d)}
    supervisor.start()
    faults = schedule(seed, seconds, [d.settings.instance for d in deployment], sorted(bindings))
    history.started = time.monotonic()
    history.record("campaign", phase="begin", seed=seed, seconds=seconds, rate=rate,
                   instances=[d.settings.instance for d in deployment],
                   proxies={name: proxy.port for name, proxy in proxies.items()},
                   schedule=[f.as_dict() for f in faults])
    return faults, Injector(node, supervisor, proxies, history, bindings)


def _together(seed, seconds, rate, catch_up_bound, deployment, history, injector, faults, admin):
    """The workload and the faults at once; then the catch-up after the last fault (the workload
    still going at its steady rate), and a drain of the workload's last effects."""
    fault_threads: list = []
    scheduler = threading.Thread(target=lambda: fault_threads.extend(injector.run(faults, threading.Event())),
                                 daemon=True)
    scheduler.start()
    workload = Workload(seed, deployment[0].settings.broker, _of(deployment, "consultation"),
                        _of(deployment, "collaboration")[0], _of(deployment, "outreach"),
                        _of(deployment, "participation")[0], _of(deployment, "community")[0], history,
                        agencies=_agencies_of(_of(deployment, "outreach") + _of(deployment, "participation")),
                        doors=_doors(deployment))
    driver = threading.Thread(target=workload.run, args=(seconds * WORKLOAD_SHARE, rate), daemon=True)
    driver.start()
    scheduler.join()
    for thread in fault_threads:
        thread.join()
    caught_up = wait_caught_up(deployment, admin, since=_last_fault_end(history), bound=catch_up_bound,
                               history=history)
    driver.join()
    history.record("campaign", phase="workload_end", commands=workload.issued)
    wait_caught_up(deployment, admin, since=history.elapsed(), bound=catch_up_bound, history=history, label="drain")
    return workload, caught_up


def _doors(deployment) -> dict:
    """Each desk fronted by a gateway in the deployment -> the door a signed-in caseworker uses."""
    doors = {}
    for gateway in _of(deployment, "gateway"):
        door = GatewayDoor(gateway, add_caseworker(gateway))
        doors.update({desk: door for desk, service in gateway.peers if service == "consultation"})
    return doors


def _of(deployment, service: str) -> list:
    return [d for d in deployment if d.settings.service == service]


def _agencies_of(instances: list) -> dict:
    """Each instance's agency in its business line, as the city's directory lists it (roles must
    name one): the agency its organisation operates, alone or jointly."""
    profile = yaml.safe_load((DEFAULT_FILE.parent / "profiles" / "matsudo.yaml").read_text(encoding="utf-8"))
    rows = lambda line: [row for table in profile["agency_tables"] if table["business_line"] == line  # noqa: E731
                         for row in table["rows"]]
    return {d.settings.instance: next({"agency_id": r["id"], "name": r["name"]} for r in rows(d.settings.service)
                                      if d.settings.organisation in [r["operator"], *(r.get("joint_operators") or [])])
            for d in instances}


def _bindings(deployed) -> list:
    from kasane.bus.topology import subscription_bindings
    return subscription_bindings(deployed.settings.instance, subscriptions(deployed.settings.service))


def _last_fault_end(history: History) -> float:
    ends = [e["t"] for e in history.of_kind("fault") if e["phase"] in ("end", "failed")]
    return max(ends, default=history.elapsed())
