"""A benchmark's own deployment: a database prefix, a vhost and a state folder of its own, fresh
each run, provisioned as `kasane up` would for instances the benchmark starts as processes, and
removed whole at the end (its bus users, vhost and databases)."""
from __future__ import annotations

import os
import secrets
import tempfile

from kasane.bus.admin import BrokerAdmin
from kasane.bus.organisations import accesses_of, admit, remove_issued_users
from kasane.cli import processes
from kasane.cli.platform import check_infrastructure, declare_topology
from kasane.config import BrokerSettings, DatabaseSettings
from kasane.deployment import DeployedInstance
from kasane.store.provision import drop_prefixed, provision_instance


class OwnDeployment:
    """Databases `<db_prefix><run>_…` and vhost `<vhost>-<run>`; KASANE_STATE_DIR (keys, logs) a new
    temporary folder (`state`), as every process started from here reads it. A benchmark names
    its `setup` and `teardown`, and runs `with` it."""

    def __init__(self, db_prefix: str, vhost: str):
        run = secrets.token_hex(3)
        self.database = DatabaseSettings.from_env({**os.environ, "KASANE_DB_PREFIX": f"{db_prefix}{run}"})
        self.broker = BrokerSettings.from_env({**os.environ, "KASANE_AMQP_VHOST": f"{vhost}-{run}"})
        os.environ["KASANE_STATE_DIR"] = self.state = tempfile.mkdtemp(prefix=f"{vhost}-")

    def __enter__(self):
        """The benchmark's own `setup()` (provision, start what it measures); `teardown()` on leaving."""
        self.setup()
        return self

    def __exit__(self, *exc_info) -> None:
        self.teardown()

    def setup(self) -> None:
        raise NotImplementedError

    def teardown(self) -> None:
        raise NotImplementedError

    def provision(self, instances: list[DeployedInstance]) -> None:
        """The vhost, each instance's store, the bus topology, and a bus user per organisation
        (on each instance's own vhost, where a benchmark gives some instances another)."""
        check_infrastructure(self.database, self.broker)
        for broker, group in self._by_vhost(instances):
            admin = BrokerAdmin(broker)
            admin.ensure_management()
            admin.ensure_vhost(broker.vhost, users=(broker.user,))
            for deployed in group:
                provision_instance(deployed.settings)
            declare_topology(group)
            for access in accesses_of(group):  # each runs as its own bus user
                admit(broker, access)

    def remove(self, instances: list[DeployedInstance]) -> None:
        """The instances stopped, then their bus users, their vhosts and every database of the prefix."""
        for deployed in instances:
            processes.stop(deployed.settings.instance)
        for broker, _ in self._by_vhost(instances) or [(self.broker, [])]:
            remove_issued_users(broker)
            BrokerAdmin(broker).delete_vhost(broker.vhost)
        drop_prefixed(self.database)

    @staticmethod
    def _by_vhost(instances: list[DeployedInstance]) -> list[tuple]:
        groups: dict[str, tuple] = {}
        for deployed in instances:
            broker = deployed.settings.broker
            groups.setdefault(broker.vhost, (broker, []))[1].append(deployed)
        return list(groups.values())
