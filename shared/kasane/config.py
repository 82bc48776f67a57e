"""Settings of one service instance, read from the environment in this one place.

Every setting has a default that works on a developer machine (PostgreSQL and RabbitMQ on
127.0.0.1); deploy/ and docker-compose.yml override them.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

REPO_ROOT = Path(__file__).resolve().parents[2]
INSTANCE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,40}$")


def state_dir(env: Mapping[str, str] = os.environ) -> Path:
    """Where pids, logs and signing keys live (var/ in the checkout unless KASANE_STATE_DIR)."""
    return Path(env.get("KASANE_STATE_DIR", REPO_ROOT / "var"))


def signing_key_file(instance: str, env: Mapping[str, str] = os.environ) -> Path:
    """The instance's Ed25519 private key; its public half is the same path with `.pub`."""
    return Path(env.get("KASANE_SIGNING_KEY_FILE", state_dir(env) / "keys" / f"{instance}.key"))


def master_key_file(instance: str, env: Mapping[str, str] = os.environ) -> Path:
    """The instance's master key (32 random bytes) wrapping its data keys (kasane.privacy.master);
    KASANE_MASTER_KEY (base64) in the environment takes its place when set."""
    return Path(env.get("KASANE_MASTER_KEY_FILE", state_dir(env) / "keys" / f"{instance}.master"))


def receiving_key_file(instance: str, env: Mapping[str, str] = os.environ) -> Path:
    """The instance's X25519 receiving key (personal parts are sealed to it on the bus), beside
    its signing key; its public half is `<instance>.x25519.pub` (kasane.bus.sealed)."""
    return Path(env.get("KASANE_RECEIVING_KEY_FILE", state_dir(env) / "keys" / f"{instance}.x25519.key"))


def bus_sealing(env: Mapping[str, str] = os.environ) -> bool:
    """Whether personal parts are sealed on the bus. Always on: `KASANE_BUS_SEALING=off` exists
    only for the benchmark's baseline (tests/bench/bench_referrals.py), never for a deployment."""
    return env.get("KASANE_BUS_SEALING", "on") != "off"


class ConfigurationError(Exception):
    """A setting is missing or malformed; the message says which and how to fix it."""


def _read(cls, env: Mapping[str, str], **variables: str):
    """`cls` with each field named in `variables` read from its environment variable: the field's
    default when the variable is unset, read as the default's type (a port as a number)."""
    values = {}
    for name, variable in variables.items():
        default, raw = getattr(cls, name), env.get(variable)
        values[name] = default if raw is None else type(default)(raw)
    return cls(**values)


@dataclass(frozen=True)
class BrokerSettings:
    """Where the bus is: one RabbitMQ virtual host per deployment (or per test run)."""

    host: str = "127.0.0.1"
    port: int = 5672
    vhost: str = "kasane"
    user: str = "guest"
    password: str = "guest"
    management_url: str = "http://127.0.0.1:15672"

    @property
    def amqp_uri(self) -> str:
        return f"amqp://{self.user}:{self.password}@{self.host}:{self.port}/{self.vhost}"

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> "BrokerSettings":
        return _read(cls, env, host="KASANE_AMQP_HOST", port="KASANE_AMQP_PORT", vhost="KASANE_AMQP_VHOST",
                     user="KASANE_AMQP_USER", password="KASANE_AMQP_PASSWORD",
                     management_url="KASANE_AMQP_MANAGEMENT_URL")


@dataclass(frozen=True)
class DatabaseSettings:
    """Where the PostgreSQL cluster is and how kasane names what it creates there.

    `prefix` keeps deployments (and concurrent test runs) apart on one cluster: every
    database and role kasane creates starts with it.
    """

    host: str = "127.0.0.1"
    port: int = 5432
    admin_user: str = "postgres"
    admin_password: str = ""
    prefix: str = "kasane"
    connect_timeout: int = 5
    # Connections each instance keeps open (it holds one more): PostgreSQL's usual
    # max_connections of 100 fits about two deployments of nine instances at 5.
    pool_size: int = 5

    def database_for(self, instance: str) -> str:
        return f"{self.prefix}_{instance}".replace("-", "_")

    def service_role_for(self, instance: str) -> str:
        """The role the service runs as: SELECT and INSERT on its events, nothing more."""
        return self.database_for(instance) + "_svc"

    def keys_database_for(self, instance: str) -> str:
        """The instance's key store (鍵保管庫): its own database, apart from the event store."""
        return self.database_for(instance) + "_keys"

    def keys_role_for(self, instance: str) -> str:
        """The only role that may connect to the key store; the event store's roles may not."""
        return self.database_for(instance) + "_keys"

    def auditor_role_for(self, instance: str) -> str:
        """The auditors' role: SELECT on the store, nothing else (監査人の読取専用ロール)."""
        return self.database_for(instance) + "_auditor"

    def owner_role_for(self, instance: str) -> str:
        """The role that owns the schema; never used by a running service."""
        return self.database_for(instance) + "_owner"

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> "DatabaseSettings":
        return _read(cls, env, host="KASANE_PG_HOST", port="KASANE_PG_PORT", admin_user="KASANE_PG_ADMIN_USER",
                     admin_password="KASANE_PG_ADMIN_PASSWORD", prefix="KASANE_DB_PREFIX",
                     connect_timeout="KASANE_PG_CONNECT_TIMEOUT", pool_size="KASANE_PG_POOL_SIZE")


@dataclass(frozen=True)
class InstanceSettings:
    """One running instance: which service, which organisation runs it, under what id.

    `faults` names fault-injection points used by the crash tests (empty in production).
    """

    service: str
    instance: str
    organisation: str
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    broker: BrokerSettings = field(default_factory=BrokerSettings)
    relay_enabled: bool = True
    faults: frozenset = frozenset()
    checkpoint_seconds: float = 10.0
    metrics_port: int | None = None  # /health and /metrics over HTTP when set
    metrics_host: str = "127.0.0.1"  # where they listen (KASANE_METRICS_HOST; 0.0.0.0 exposes them)
    http_port: int | None = None  # a gateway's HTTP API
    http_host: str = "127.0.0.1"
    max_workers: int = 10  # nameko's concurrent calls (KASANE_MAX_WORKERS)
    # What deploy/instances.yaml tells an instance of its deployment (kasane.deployment):
    agencies: tuple = field(default=(), hash=False)  # the agencies it operates (KASANE_AGENCIES)
    collaboration_instance: str | None = None  # where referrals are addressed
    audit_instance: str | None = None  # where read records (閲覧記録) are addressed
    # Personal parts sealed per person at rest (kasane.privacy); "off" only for the benchmark's
    # baseline (KASANE_SEALING=off), never in a deployment.
    sealing: bool = True
    key_cache_seconds: float = 60.0  # how long an unwrapped data key is kept in memory

    def __post_init__(self):
        if not INSTANCE_ID.match(self.instance):
            raise ConfigurationError(
                "KASANE_INSTANCE must be lower-case letters, digits, '-' or '_' "
                "(at most 41 characters), e.g. KASANE_INSTANCE=consultation-hokatsu-1"
            )

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> "InstanceSettings":
        missing = [k for k in ("KASANE_SERVICE", "KASANE_INSTANCE", "KASANE_ORGANISATION")
                   if not env.get(k)]
        if missing:
            raise ConfigurationError(
                f"{', '.join(missing)} not set: start services with `kasane up` "
                "or set them as deploy/instances.yaml shows"
            )
        return cls(
            service=env["KASANE_SERVICE"],
            instance=env["KASANE_INSTANCE"],
            organisation=env["KASANE_ORGANISATION"],
            database=DatabaseSettings.from_env(env),
            broker=BrokerSettings.from_env(env),
            relay_enabled=env.get("KASANE_RELAY", "on") != "off",
            faults=frozenset(f for f in env.get("KASANE_FAULTS", "").split(",") if f),
            checkpoint_seconds=float(env.get("KASANE_CHECKPOINT_SECONDS", 10)),
            metrics_port=int(env["KASANE_METRICS_PORT"]) if env.get("KASANE_METRICS_PORT") else None,
            metrics_host=env.get("KASANE_METRICS_HOST", cls.metrics_host),
            http_port=int(env["KASANE_HTTP_PORT"]) if env.get("KASANE_HTTP_PORT") else None,
            http_host=env.get("KASANE_HTTP_HOST", cls.http_host),
            max_workers=int(env.get("KASANE_MAX_WORKERS", cls.max_workers)),
            agencies=tuple(json.loads(env.get("KASANE_AGENCIES") or "[]")),
            collaboration_instance=env.get("KASANE_COLLABORATION_INSTANCE") or None,
            audit_instance=env.get("KASANE_AUDIT_INSTANCE") or None,
            sealing=env.get("KASANE_SEALING", "on") != "off",
            key_cache_seconds=float(env.get("KASANE_KEY_CACHE_SECONDS", cls.key_cache_seconds)),
        )
