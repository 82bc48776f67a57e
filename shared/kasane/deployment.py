"""A deployment: the instances listed in deploy/instances.yaml, with this machine's settings."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import yaml

from kasane.config import BrokerSettings, ConfigurationError, DatabaseSettings, InstanceSettings

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "deploy" / "instances.yaml"


@dataclass(frozen=True)
class DeployedInstance:
    settings: InstanceSettings
    agencies: tuple
    collaboration_instance: str | None = None  # where this deployment's referrals go
    audit_instance: str | None = None  # where read records (閲覧記録) go
    peers: tuple = ()  # a gateway's: (instance, service) of its organisation's other instances

    def environment(self) -> dict:
        """The environment a process of this instance runs with (see kasane.config)."""
        s = self.settings
        return {
            "KASANE_SERVICE": s.service, "KASANE_INSTANCE": s.instance,
            "KASANE_ORGANISATION": s.organisation,
            "KASANE_AMQP_HOST": s.broker.host, "KASANE_AMQP_PORT": str(s.broker.port),
            "KASANE_AMQP_VHOST": s.broker.vhost, "KASANE_AMQP_USER": s.broker.user,
            "KASANE_AMQP_PASSWORD": s.broker.password,
            "KASANE_PG_HOST": s.database.host, "KASANE_PG_PORT": str(s.database.port),
            "KASANE_DB_PREFIX": s.database.prefix, "KASANE_PG_POOL_SIZE": str(s.database.pool_size),
            "KASANE_RELAY": "on" if s.relay_enabled else "off",
            **({} if s.sealing else {"KASANE_SEALING": "off"}),  # the benchmark's baseline only
            "KASANE_FAULTS": ",".join(sorted(s.faults)),
            "PSYCOPG_WAIT_FUNC": "wait_select",
            # The agencies the instance operates (a consultation instance refuses others).
            "KASANE_AGENCIES": json.dumps([dict(a) for a in self.agencies], ensure_ascii=False),
            **({"KASANE_COLLABORATION_INSTANCE": self.collaboration_instance}
               if self.collaboration_instance else {}),
            **({"KASANE_METRICS_PORT": str(s.metrics_port)} if s.metrics_port else {}),
            "KASANE_METRICS_HOST": s.metrics_host,
            **({"KASANE_AUDIT_INSTANCE": self.audit_instance} if self.audit_instance else {}),
            **({"KASANE_HTTP_PORT": str(s.http_port)} if s.http_port else {}),
            **({"KASANE_GATEWAY_INSTANCES": json.dumps(dict(self.peers))} if self.peers else {}),
        }


def deployment_file(city: str | None = None, env: Mapping[str, str] = os.environ) -> Path:
    """KASANE_DEPLOYMENT if set; else, for a city, deploy/instances.<city>.yaml or
    deploy/instances.yaml when that one declares the city; else deploy/instances.yaml."""
    if "KASANE_DEPLOYMENT" in env:
        return Path(env["KASANE_DEPLOYMENT"])
    if city is None or deployment_city(DEFAULT_FILE) == city:
        return DEFAULT_FILE
    own = DEFAULT_FILE.with_name(f"instances.{city}.yaml")
    if not own.exists():
        raise ConfigurationError(f"no deployment for {city}: write {own.name} under deploy/ listing "
                                 f"its instances (deploy/instances.yaml shows the form)")
    return own


def _read(path: Path) -> dict:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigurationError(f"no deployment file at {path}") from None
    if not isinstance(document, dict) or not isinstance(document.get("instances"), list):
        raise ConfigurationError(f"{path} lists no instances")
    return document


def deployment_city(path: Path) -> str | None:
    """The city a deployment file declares (`city:`), if any."""
    return _read(path).get("city")


def load_deployment(path: Path | None = None, env: Mapping[str, str] = os.environ) -> list[DeployedInstance]:
    path = Path(env.get("KASANE_DEPLOYMENT", path or DEFAULT_FILE))
    document = _read(path)
    database, broker = DatabaseSettings.from_env(env), BrokerSettings.from_env(env)
    collaboration = next((item["instance"] for item in document["instances"]
                          if item["service"] == "collaboration"), None)
    ledger = next((item["instance"] for item in document["instances"] if item["service"] == "audit"), None)
    ports = metrics_ports(document["instances"], env)
    host = env.get("KASANE_METRICS_HOST", InstanceSettings.metrics_host)
    return [
        DeployedInstance(
            settings=InstanceSettings(service=item["service"], instance=item["instance"],
                                      organisation=item["organisation"], database=database,
                                      broker=broker, metrics_port=port, metrics_host=host,
                                      http_port=http_port(item, env)),
            agencies=tuple(item.get("agencies", ())),
            collaboration_instance=collaboration,
            audit_instance=ledger,
            peers=gateway_peers(item, document["instances"]),
        )
        for item, port in zip(document["instances"], ports)
    ]


def metrics_ports(items: list[dict], env: Mapping[str, str]) -> list[int | None]:
    """Each instance's metrics port: KASANE_METRICS_PORT, when set, is the first instance's and the
    others follow in file order; otherwise the file's `metrics_port`, shifted by KASANE_PORT_OFFSET
    (so that a second deployment on the machine takes other ports)."""
    try:
        base = int(env["KASANE_METRICS_PORT"]) if env.get("KASANE_METRICS_PORT") else None
        offset = int(env.get("KASANE_PORT_OFFSET") or 0)
    except ValueError:
        raise ConfigurationError("KASANE_METRICS_PORT and KASANE_PORT_OFFSET take whole numbers, "
                                 "e.g. KASANE_PORT_OFFSET=100") from None
    if base is not None:
        return [base + i for i in range(len(items))]
    return [item["metrics_port"] + offset if item.get("metrics_port") else None for item in items]


def http_port(item: dict, env: Mapping[str, str]) -> int | None:
    """A gateway's HTTP port: the file's, shifted by KASANE_PORT_OFFSET like the metrics ports."""
    if not item.get("http_port"):
        return None
    return item["http_port"] + int(env.get("KASANE_PORT_OFFSET") or 0)


def gateway_peers(item: dict, items: list) -> tuple:
    """A gateway reaches its own organisation's instances, and no other's."""
    if item["service"] != "gateway":
        return ()
    return tuple((other["instance"], other["service"]) for other in items
                 if other["organisation"] == item["organisation"] and other["service"] != "gateway")
