"""`make bench`: the gateway's overhead — through the gateway with a signed-in session, beside the
same calls made straight over RPC in the same run:
- reading a household whose timeline holds 1,000 events (GET /api/households/{id} vs
  household_timeline over RPC);
- accepting an intake (POST /api/intakes vs receive_consultation over RPC).
Requests/s and p50/p95 for each, and the ratio; the two ways alternate call by call, so a
change in the machine's load weighs on both alike. Goal: p95 < 100 ms for the household read and
overhead < 1.5× on the 2-core development machine.
"""
from __future__ import annotations

import kasane.greening  # noqa: F401 — as every kasane process

import logging
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the checkout: tests.samples, helpers

from tests.samples import make_intake  # noqa: E402
from tests.gateway_helpers import free_port  # noqa: E402
from own_deployment import OwnDeployment  # noqa: E402 — beside this file
from kasane.cli import processes  # noqa: E402
from kasane.cli.staff import staff  # noqa: E402
from kasane.client import rpc_cluster  # noqa: E402
from kasane.config import InstanceSettings  # noqa: E402
from kasane.deployment import DeployedInstance  # noqa: E402

EVENTS, CALLS = int(os.environ.get("KASANE_BENCH_HOUSEHOLD_EVENTS", 1000)), int(os.environ.get("KASANE_BENCH_CALLS", 200))
READER = {"name": "ベンチ 担当", "organisation": "org-gwbench", "role": "相談員", "purpose": "ベンチ"}
PASSWORD = "bench password long enough"
logging.getLogger("amqp").setLevel(logging.ERROR)


def say(line: str) -> None:
    print(line, flush=True)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


class GatewayBench(OwnDeployment):
    def __init__(self):
        super().__init__("kg", "kasane-gwbench")
        desk = InstanceSettings(service="consultation", instance="gwbench-desk", organisation="org-gwbench",
                                database=self.database, broker=self.broker)
        self.desk = DeployedInstance(settings=desk, agencies=(make_intake()["agency"],))
        gateway = replace(desk, service="gateway", instance="gwbench-gate", http_port=free_port())
        self.gateway = DeployedInstance(settings=gateway, agencies=(), peers=(("gwbench-desk", "consultation"),))
        self.url = f"http://127.0.0.1:{gateway.http_port}"

    def setup(self) -> None:
        self.provision([self.desk, self.gateway])
        for deployed in (self.desk, self.gateway):
            processes.start(deployed)
        processes.wait_ready([self.desk, self.gateway])
        os.environ["KASANE_STAFF_PASSWORD"] = PASSWORD
        staff(["add", "org-gwbench", "bench"], name="ベンチ 担当", roles=["相談員"], totp=False,
              deployment=[self.gateway], out=open(os.devnull, "w"))

    def teardown(self) -> None:
        self.remove([self.desk, self.gateway])

    def household_with_events(self, rpc, count: int) -> str:
        taken = rpc["gwbench-desk"].receive_consultation(make_intake())
        contact = {"consultation_id": taken["consultation_id"], "channel": "phone", "caseworker_id": "bench"}
        for i in range(count - len(rpc["gwbench-desk"].household_timeline(taken["household_id"])["entries"])):
            rpc["gwbench-desk"].record_contact(contact)
            if (i + 1) % 250 == 0:
                say(f"    継続相談 {i + 1}")
        return taken["household_id"]

    def signed_in(self) -> tuple[requests.Session, dict]:
        browser = requests.Session()
        answer = browser.post(self.url + "/api/session", json={"login": "bench", "password": PASSWORD}, timeout=10)
        answer.raise_for_status()
        return browser, {"X-CSRF-Token": answer.json()["csrf_token"]}


def paired(straight, through, count: int) -> tuple[tuple, tuple]:
    """(requests/s, p50 ms, p95 ms) of each of two calls made alternately `count` times: both
    meet the same machine (whose load other work may change during the run)."""
    latencies: tuple[list, list] = ([], [])
    for _ in range(count):
        for call, kept in ((straight, latencies[0]), (through, latencies[1])):
            t = time.perf_counter()
            call()
            kept.append((time.perf_counter() - t) * 1000)
    return tuple((count / (sum(kept) / 1000), percentile(kept, 50), percentile(kept, 95))  # type: ignore[return-value]
                 for kept in latencies)


def report(what: str, gateway, straight) -> None:
    say(f"  {what}: gateway {gateway[0]:6.1f} req/s p50 {gateway[1]:6.1f} ms p95 {gateway[2]:6.1f} ms | "
        f"RPC {straight[0]:6.1f} /s p50 {straight[1]:6.1f} ms p95 {straight[2]:6.1f} ms | "
        f"overhead p50 {gateway[1] / straight[1]:4.2f}x, throughput {straight[0] / gateway[0]:4.2f}x")


def run(bench: GatewayBench) -> int:
    browser, csrf = bench.signed_in()
    with rpc_cluster(bench.broker, reader=READER) as rpc:
        say(f"household with {EVENTS} events")
        household = bench.household_with_events(rpc, EVENTS)
        desk = rpc["gwbench-desk"]
        straight, through = paired(
            lambda: desk.household_timeline(household),
            lambda: browser.get(f"{bench.url}/api/households/{household}", timeout=30).raise_for_status(), CALLS)
        report(f"household read ({EVENTS} events, goal p95 < 100 ms, < 1.5x)", through, straight)
        straight, through = paired(
            lambda: desk.receive_consultation(make_intake()),
            lambda: browser.post(f"{bench.url}/api/intakes", json=make_intake(), headers=csrf,
                                 timeout=30).raise_for_status(), CALLS)
        report("intake accepted", through, straight)
    return 0


def main() -> int:
    say("== kasane bench: 窓口 (gateway) vs straight RPC ==")
    with GatewayBench() as bench:
        return run(bench)


if __name__ == "__main__":
    sys.exit(main())
