"""`make bench`: referrals through consultation -> RabbitMQ -> collaboration.

Measured in one run, on whatever machine runs it (broker, database, services and this driver
share its cores):
- baseline: raw single-row PostgreSQL INSERTs per second (autocommit, one connection);
- latency at an offered load of 100 referrals/s: from the referral recorded in consultation
  (its event's timestamp) to the case recorded in collaboration (its event's timestamp), and
  that trip split into stages (consultation's commit, relay, broker, consumer: stage_times.py);
- sustained end-to-end events/s draining a backlog: referrals committed while the relay was
  off, then relayed, routed, consumed and turned into cases;
- end-to-end events/s with the RPC ingress in the path (clients as fast as they can).
Each referral carries a consenting person's details, sealed at rest per person (kasane.privacy)
and on the bus for 多機関協働 and the audit ledger (kasane.bus.sealed); phases 1 and 2 run first
with encryption off (KASANE_SEALING=off and KASANE_BUS_SEALING=off, which exist for this baseline
only), then on, and the ratio is printed (issue 21's goal: under 15 % slower).
Ratios to the raw-insert baseline are printed beside absolute figures, and to the lean reference
pipeline (`lean_pipeline.py`: the same parts without a framework), measured in the same run.
"""
from __future__ import annotations

import itertools
import logging
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import psycopg

from kasane.bus.sealed import ensure_receiving_key
from kasane.cli import processes
from kasane.client import rpc_cluster
from kasane.config import InstanceSettings, receiving_key_file
from kasane.deployment import DeployedInstance
from kasane.store.application import KasaneApplication, postgres_env

sys.path.insert(0, os.path.dirname(__file__))
from baseline import raw_inserts_per_second  # noqa: E402
from cpu_shares import CpuSnapshot, cpu_line  # noqa: E402
from lean_pipeline import run_lean  # noqa: E402
from own_deployment import OwnDeployment  # noqa: E402
from stage_times import probe_env, probe_marks, stage_lines, stage_table, stored_times  # noqa: E402

LOAD_RATE, LOAD_SECONDS = 100, 10
BACKLOG = int(os.environ.get("KASANE_BENCH_BACKLOG", 3000))
ROUNDS = int(os.environ.get("KASANE_BENCH_ROUNDS", 2))  # sealing off/on rounds, ABBA order
CLIENTS = 8          # RPC client threads when driving as fast as possible
PACED_CLIENTS = 2    # enough for 100/s; more would only add the driver's own CPU to the machine
BENCH_READER = {"name": "ベンチ 担当", "organisation": "org-bench"}  # use cases need a person
AGENCY = {"agency_id": "bench-hokatsu", "name": "ベンチ地域包括支援センター"}
PERSON = {"name": "ベンチ 花子", "kana": "ベンチ ハナコ", "relation": "self"}
BORN_FROM = date(1930, 4, 1)  # each person born on another day: no two households hold a likely same person
REFERRED = "consultation.household_referred"
LEDGER = "bench-ledger"  # a reader of every sealed part (its key only: the ledger itself does not run)

logging.getLogger("amqp").setLevel(logging.ERROR)


def say(line: str) -> None:
    print(line, flush=True)


class Bench(OwnDeployment):
    def __init__(self):
        super().__init__("kb", "kasane-bench")
        # One desk and one 多機関協働 instance per setting, each pair on a vhost of its own: a store
        # sealed at rest cannot be read with sealing off, and one pair's broadcasts (consents)
        # must not queue up for the other's 多機関協働.
        self.pairs = {sealing: self._pair(label) for sealing, label in ((False, "plain"), (True, "sealed"))}
        self.desk, self.takikan = self.pairs[True]
        self.born = itertools.count()
        self.all = [d for pair in self.pairs.values() for d in pair]
        self.marks_dir = os.path.join(self.state, "stages")  # see stage_times.py
        os.makedirs(self.marks_dir)

    def _pair(self, label: str) -> tuple[DeployedInstance, DeployedInstance]:
        broker = replace(self.broker, vhost=f"{self.broker.vhost}-{label}")
        takikan = self._instance("collaboration", f"bench-takikan-{label}", broker)
        return self._instance("consultation", f"bench-desk-{label}", broker,
                              collaboration_instance=takikan.settings.instance), takikan

    def _instance(self, service, name, broker, **deployed) -> DeployedInstance:
        settings = InstanceSettings(service=service, instance=name, organisation=f"org-{name}",
                                    database=self.database, broker=broker)
        return DeployedInstance(settings=settings, agencies=(AGENCY,), **deployed)

    def use(self, sealing: bool) -> None:
        """Measure on the pair of one setting; the other pair's processes stop meanwhile."""
        for deployed in self.pairs[not sealing]:
            processes.stop(deployed.settings.instance)
        self.desk, self.takikan = self.pairs[sealing]

    def setup(self) -> None:
        for pair in self.pairs.values():
            self.provision(list(pair))
        readers = [takikan.settings.instance for _, takikan in self.pairs.values()]
        for instance in (*readers, LEDGER):  # the readers' receiving keys
            ensure_receiving_key(receiving_key_file(instance))

    def teardown(self) -> None:
        self.remove(self.all)

    def start(self, deployed: DeployedInstance, relay: bool = True, sealing: bool = True) -> None:
        processes.stop(deployed.settings.instance)
        deployed = replace(deployed, settings=replace(deployed.settings, relay_enabled=relay),
                           audit_instance=LEDGER)
        # Encryption as a whole: personal parts sealed at rest (KASANE_SEALING) and on the bus
        # (KASANE_BUS_SEALING); both switches exist for this baseline only.
        switch = "on" if sealing else "off"
        processes.start(deployed, extra_env={"KASANE_BUS_SEALING": switch, "KASANE_SEALING": switch,
                                             **probe_env(self.marks_dir)})
        answer = processes.wait_ready([deployed])[deployed.settings.instance]
        if answer["consumer"] is not None and deployed.settings.service == "collaboration":
            # measured once it takes messages (its views read the log first)
            with rpc_cluster(deployed.settings.broker, timeout=5) as rpc:
                while not answer["consumer"]["consuming"]:
                    time.sleep(0.2)
                    answer = rpc[deployed.settings.instance].health()

    # -- measurements -------------------------------------------------------------------

    def lean(self) -> dict:
        """The lean reference pipeline on its own database and queue in this run's vhost."""
        db = self.database
        name = db.database_for("lean")
        with psycopg.connect(host=db.host, port=db.port, user=db.admin_user, dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        dsn = f"host={db.host} port={db.port} user={db.admin_user} dbname={name}"
        return run_lean(dsn, self.takikan.settings.broker.amqp_uri, "bench-lean", events=BACKLOG, rate=LOAD_RATE,
                        seconds=LOAD_SECONDS)

    def raw_inserts_per_second(self, rows: int = 2000) -> float:
        return raw_inserts_per_second(self.database, self.database.database_for(self.desk.settings.instance), rows)

    def receive(self, count: int) -> list[str]:
        """Record `count` consultations (each a new household with one person, who consents to
        多機関協働: the referral carries the person's details); returns their ids."""
        command = {"agency": AGENCY, "received_at": datetime.now(timezone.utc).isoformat(),
                   "channel": "counter", "consulted_by": "self", "caseworker_id": "bench",
                   "issue_categories": ["poverty"], "new_household": True}
        # Distinct persons, as a city's are: 多機関協働 compares every referral's persons with its
        # open cases (同一人物の確認), and a thousand identical ones would each be a likely match.
        commands = [{**command, "persons": [{**PERSON, "birth_date": str(BORN_FROM + timedelta(days=next(self.born)))}]}
                    for _ in range(count)]
        received = self._call_many("receive_consultation", commands, "受付")
        self._call_many("record_consent", [{
            "household_id": r["household_id"], "person_id": r["person_ids"][0], "given_by": "self",
            "method": "written", "caseworker_id": "bench", "agency": AGENCY, "purposes": ["collaboration"],
            "given_at": datetime.now(timezone.utc).isoformat()} for r in received], "同意")
        return [r["consultation_id"] for r in received]

    def refer(self, consultation_ids: list[str], rate: float | None = None) -> None:
        commands = [{"consultation_id": c, "caseworker_id": "bench", "reasons": ["compound_issues"]}
                    for c in consultation_ids]
        self._call_many("refer_to_collaboration", commands, "紹介", rate=rate,
                        clients=PACED_CLIENTS if rate else CLIENTS)

    def _call_many(self, method: str, commands: list[dict], what: str, rate: float | None = None,
                   clients: int = CLIENTS):
        results: list = [None] * len(commands)
        started, done, lock = time.monotonic(), [0], threading.Lock()

        def worker(k: int) -> None:
            with rpc_cluster(self.desk.settings.broker, reader=BENCH_READER) as rpc:
                call = getattr(rpc[self.desk.settings.instance], method)
                for i in range(k, len(commands), clients):
                    if rate:
                        delay = started + i / rate - time.monotonic()
                        if delay > 0:
                            time.sleep(delay)
                    results[i] = call(commands[i])
                    with lock:
                        done[0] += 1
                        if done[0] % 500 == 0:
                            say(f"    {what} {done[0]}/{len(commands)}")

        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(worker, range(clients)))
        return results

    def service_pids(self) -> dict[int, str]:
        pids = {processes.running_pid(d.settings.instance): label
                for d, label in ((self.desk, "consultation"), (self.takikan, "collaboration"))}
        return {pid: label for pid, label in pids.items() if pid}

    def wait_for_cases(self, count: int, timeout: float = 600, event_type: str = REFERRED,
                       what: str = "ケース") -> None:
        """Until 多機関協働 has taken `count` events of the type (by default referrals: not the consents)."""
        deadline, last = time.monotonic() + timeout, -1
        while time.monotonic() < deadline:
            seen = self.taken(event_type)
            if seen >= count:
                return
            if seen // 500 != last // 500:
                say(f"    {what} {seen}/{count}")
            last = seen
            time.sleep(0.2)
        raise SystemExit(f"bench: only {last} of {count} cases after {timeout}s")

    def timings(self) -> tuple[dict, dict]:
        """referral id -> time recorded in consultation; -> time its case was opened."""
        referred = {str(e.referral_id): e.timestamp
                    for _, e in self._events(self.desk, "ReferredToCollaboration")}
        opened = {e.referral["referral_id"]: e.timestamp for _, e in self._events(self.takikan, ":Case.Opened")}
        return referred, opened

    def taken(self, event_type: str = REFERRED) -> int:
        """Events of the type 多機関協働's inbox has taken so far."""
        db = self.database
        with psycopg.connect(host=db.host, port=db.port, user=db.admin_user, autocommit=True,
                             dbname=db.database_for(self.takikan.settings.instance)) as conn:
            return conn.execute("SELECT count(*) FROM kasane_inbox WHERE event_type = %s",
                                (event_type,)).fetchone()[0]

    def drain_seconds(self, since: datetime) -> float:
        """From the first publish of the referrals recorded since `since` to the last case opened."""
        time.sleep(0.6)  # the probe writes its marks every 0.25 s
        desk = self.desk.settings.instance
        positions = [n for n, e in self._events(self.desk, "ReferredToCollaboration") if e.timestamp >= since]
        published = probe_marks(self.marks_dir)["published"]
        first = min(published[(desk, n)] for n in positions if (desk, n) in published)
        _, opened = self.timings()
        return max(opened.values()).timestamp() - first

    def stages(self, since: datetime) -> dict[str, list[float]]:
        """The referrals recorded since `since`, their trips split into stages (stage_times.py)."""
        time.sleep(0.6)  # the probe writes its marks every 0.25 s
        recorded = {n: e.timestamp.timestamp() for n, e in self._events(self.desk, "ReferredToCollaboration")
                    if e.timestamp >= since}
        db, desk = self.database, self.desk.settings.instance
        stored = stored_times({"host": db.host, "port": db.port, "user": db.admin_user,
                               "dbname": db.database_for(desk)}, list(recorded))
        return stage_table(desk, recorded, stored, probe_marks(self.marks_dir))

    def _events(self, deployed: DeployedInstance, suffix: str) -> list:
        """(notification id, domain event) of the log's events whose topic ends with `suffix`."""
        app = KasaneApplication(env=postgres_env(deployed.settings, user=self.database.admin_user))
        try:
            found, start = [], 1
            while batch := app.recorder.select_notifications(start, 5000):
                found += [(n.id, app.mapper.to_domain_event(n)) for n in batch if n.topic.endswith(suffix)]
                start = batch[-1].id + 1
            return found
        finally:
            app.close()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> int:
    say("== kasane bench: 紹介 consultation -> RabbitMQ -> collaboration ==")
    with Bench() as bench:
        return run(bench)


def load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores"


def run(bench: Bench) -> int:
    say(f"machine: {load()}")
    baseline = bench.raw_inserts_per_second()
    say(f"baseline: raw single-row PostgreSQL INSERTs   {baseline:8.0f} /s")
    lean = bench.lean()
    lean_p95 = percentile(lean["latencies"], 95) * 1000
    say(f"baseline: lean pipeline (outbox -> confirms -> inbox), writing included  "
        f"{lean['saturated']:8.0f} events/s; at {LOAD_RATE}/s p50 {percentile(lean['latencies'], 50) * 1000:5.1f} ms"
        f"  p95 {lean_p95:5.1f} ms")
    plain, sealed, offered = alternated(bench, baseline, lean)
    say(f"encryption (at rest and on the bus), {ROUNDS} round(s): p95 latency {sealed['p95'] / plain['p95']:5.2f} x, "
        f"drain {plain['drain'] / sealed['drain']:5.2f} x slower than with sealing off  (goal < 1.15x)")

    say(f"phase 3: {BACKLOG} referrals with RPC ingress in the path ({CLIENTS} clients), sealing on")
    ids = bench.receive(BACKLOG)
    refer_started = datetime.now(timezone.utc)
    bench.refer(ids)
    bench.wait_for_cases(offered + BACKLOG)
    _, opened = bench.timings()
    through = BACKLOG / (max(opened.values()) - refer_started).total_seconds()
    say(f"  end-to-end including RPC commands           {through:8.0f} events/s  "
        f"= {through / baseline:5.2f} x raw inserts")
    say(f"  = {through / lean['saturated']:5.2f} x the lean pipeline end to end  (goal >= 0.5x)")
    say("summary: " + ", ".join([
        f"raw inserts {baseline:.0f}/s", f"lean {lean['saturated']:.0f}/s p95 {lean_p95:.1f} ms",
        *(f"{name}: p50 {r['p50']:.1f} ms p95 {r['p95']:.1f} ms p99 {r['p99']:.1f} ms drain {r['drain']:.0f}/s "
          f"({r['drain'] / baseline:.2f}x)" for name, r in (("sealing off", plain), ("sealing on", sealed))),
        f"with RPC {through:.0f}/s ({through / baseline:.2f}x)", load()]))
    return 0


def alternated(bench: Bench, baseline: float, lean: dict) -> tuple[dict, dict, int]:
    """Phases 1 and 2 with sealing off and on, in rounds ordered off-on, on-off, … (ABBA), so a
    machine whose load drifts during the run weighs on both alike; figures pooled per setting."""
    runs: dict[bool, list[dict]] = {False: [], True: []}
    done = {False: 0, True: 0}  # cases opened so far in each setting's 多機関協働 store
    for round_ in range(ROUNDS):
        for sealing in ((False, True) if round_ % 2 == 0 else (True, False)):
            bench.use(sealing)
            result = phases(bench, sealing=sealing, done=done[sealing], baseline=baseline, lean=lean)
            runs[sealing].append(result)
            done[sealing] = result["done"]
    bench.use(True)  # phase 3 runs sealed, as a deployment does
    bench.start(bench.takikan)
    bench.start(bench.desk)
    return pooled(runs[False]), pooled(runs[True]), done[True]


def pooled(results: list[dict]) -> dict:
    latencies = [ms for r in results for ms in r["latencies"]]
    drain = BACKLOG * len(results) / sum(BACKLOG / r["drain"] for r in results)
    return {**{f"p{p}": percentile(latencies, p) for p in (50, 95, 99)}, "drain": drain}


def phases(bench: Bench, sealing: bool, done: int, baseline: float, lean: dict) -> dict:
    """Phases 1 (latency at 100/s) and 2 (backlog drain) with bus sealing on or off."""
    label = "on" if sealing else "off"
    bench.start(bench.takikan, sealing=sealing)
    bench.start(bench.desk, sealing=sealing)
    offered = LOAD_RATE * LOAD_SECONDS
    say(f"phase 1 (sealing {label}): {offered} referrals offered at {LOAD_RATE}/s")
    ids = bench.receive(offered)
    marked = datetime.now(timezone.utc)
    bench.refer(ids, rate=LOAD_RATE)
    bench.wait_for_cases(done + offered)
    referred, opened = bench.timings()
    latencies = [(opened[r] - t).total_seconds() * 1000 for r, t in referred.items()
                 if r in opened and t >= marked]
    p50, p95, p99 = (percentile(latencies, p) for p in (50, 95, 99))
    say(f"  latency referral recorded -> case recorded  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  "
        f"p99 {p99:6.1f} ms  (n={len(latencies)}, goal p95 < 50 ms)")
    say(f"  p95 = {p95 / (percentile(lean['latencies'], 95) * 1000):5.1f} x the lean pipeline's  (goal <= 2x)")
    say("  stages (consultation's commit -> relay -> broker -> collaboration's consumer):")
    for line in stage_lines(bench.stages(marked), percentile):
        say(line)

    say(f"phase 2 (sealing {label}): backlog of {BACKLOG} referrals committed with the relay off, then drained")
    # The intakes and consents travel first, relay on: the backlog is the referrals alone, one
    # event each as in the lean pipeline (they had been drained with them: three events a referral).
    ids = bench.receive(BACKLOG)
    bench.wait_for_cases(done + offered + BACKLOG, event_type="consultation.consent_recorded", what="同意 (受信)")
    bench.start(bench.desk, relay=False, sealing=sealing)
    referred_from = datetime.now(timezone.utc)
    bench.refer(ids)
    bench.start(bench.desk, relay=True, sealing=sealing)
    # The relay publishes as soon as its process runs, before the bench learns it is up: the drain
    # is timed from the backlog's first publish (the stage probe's mark) to its last case, and
    # the CPU counted over the events taken after the bench's first look.
    cpu_before, taken_before = CpuSnapshot.take(), bench.taken()
    bench.wait_for_cases(done + offered + BACKLOG)
    say(cpu_line(cpu_before, CpuSnapshot.take(), bench.service_pids(), done + offered + BACKLOG - taken_before))
    drained = BACKLOG / bench.drain_seconds(referred_from)
    say(f"  sustained end-to-end (relay -> bus -> inbox -> case)  {drained:8.0f} events/s  "
        f"= {drained / baseline:5.2f} x raw inserts  (goal >= 1000/s)")
    say(f"  = {drained / lean['saturated']:5.2f} x the lean pipeline end to end  (goal >= 1.3x)")
    return {"latencies": latencies, "drain": drained, "done": done + offered + BACKLOG}


if __name__ == "__main__":
    sys.exit(main())
