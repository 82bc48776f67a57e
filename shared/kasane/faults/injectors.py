"""故障の注入 — each scheduled fault begun, held for its length, and ended, in a thread of its own
(faults overlap), with its start and end written to the history."""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass

from kombu import Connection, Producer

from kasane.bus.topology import EVENTS_EXCHANGE
from kasane.faults import database
from kasane.faults.history import History
from kasane.faults.node import BrokerNode
from kasane.faults.observe import POISON_HEADER
from kasane.faults.proxy import Degradation, FaultyProxy
from kasane.faults.schedule import Fault
from kasane.faults.supervisor import Supervisor


@dataclass
class Injector:
    node: BrokerNode
    supervisor: Supervisor
    proxies: dict  # instance -> the FaultyProxy between it and the broker node
    history: History
    bindings: dict  # consumer instance -> its binding keys (where poison is sent)

    def run(self, faults: list[Fault], stop: threading.Event) -> list[threading.Thread]:
        threads = []
        for fault in faults:
            if stop.wait(max(0.0, fault.at - self.history.elapsed())):
                break
            thread = threading.Thread(target=self.inject, args=(fault,), daemon=True, name=f"fault-{fault.kind}")
            thread.start()
            threads.append(thread)
        return threads

    def inject(self, fault: Fault) -> None:
        names = {"kind": "fault", "at": "planned_at"}  # the history's own `kind` and `at` stay the entry's
        fields = {names.get(k, k): v for k, v in fault.as_dict().items()}
        self.history.record("fault", phase="begin", **fields)
        try:
            getattr(self, f"_{fault.kind}")(fault)
            self.history.record("fault", phase="end", **fields)
        except Exception as exc:  # noqa: BLE001 — a fault that could not be injected is reported, not hidden
            self.history.record("fault", phase="failed", error=f"{type(exc).__name__}: {exc}"[:200], **fields)

    def _kill(self, fault: Fault) -> None:
        self.supervisor.kill(fault.instance, fault.seconds)
        time.sleep(fault.seconds)

    def _broker(self, fault: Fault) -> None:
        self.node.stop_app()
        time.sleep(fault.seconds)
        self.node.start_app()

    def _database(self, fault: Fault) -> None:
        db = self.supervisor.by_instance[fault.instance].settings.database
        database.refuse(db, fault.instance)
        try:
            time.sleep(fault.seconds)
        finally:
            database.allow(db, fault.instance)

    def _network(self, fault: Fault) -> None:
        proxy: FaultyProxy = self.proxies[fault.instance]
        proxy.begin_cut()
        try:
            time.sleep(fault.seconds)
        finally:
            proxy.end_cut()

    def _delay(self, fault: Fault) -> None:
        self._degraded(fault, Degradation(latency=fault.latency, jitter=fault.latency))

    def _loss(self, fault: Fault) -> None:
        self._degraded(fault, Degradation(stall_chance=0.1, stall_for=fault.latency))

    def _degraded(self, fault: Fault, degradation: Degradation) -> None:
        proxy: FaultyProxy = self.proxies[fault.instance]
        proxy.degrade(degradation, fault.seed)
        try:
            time.sleep(fault.seconds)
        finally:
            proxy.heal()

    def _clock(self, fault: Fault) -> None:
        plain = self.supervisor.extra_env[fault.instance]
        self.supervisor.restart_with(fault.instance, self.supervisor.skewed(fault.skew, plain))
        try:
            time.sleep(fault.seconds)
        finally:
            self.supervisor.restart_with(fault.instance, plain)

    def _poison(self, fault: Fault) -> None:
        """Invalid JSON on a key the consumer is bound to, marked so the checker knows it."""
        key = self.bindings[fault.instance][0].replace("*", "faults-poison", 1).replace("#", "faults.poison")
        settings = self.node.settings(self.supervisor.by_instance[fault.instance].settings.broker.vhost)
        with Connection(settings.amqp_uri, connect_timeout=10) as connection:
            # The broker may be down at that moment (faults overlap): poison goes in once it is back.
            connection.ensure_connection(max_retries=120, interval_start=0.5, interval_step=0.5, interval_max=1)
            Producer(connection.channel()).publish(
                b"{not json", exchange=EVENTS_EXCHANGE,
                routing_key=key, content_type="application/json",
                headers={POISON_HEADER: json.dumps({"at": fault.at, "target": fault.instance})},
                delivery_mode=2, retry=True, retry_policy={"max_retries": 20, "interval_max": 1})
