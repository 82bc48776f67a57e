"""Bringing a deployment's infrastructure into being: checks, vhost, databases, bus topology."""
from __future__ import annotations

from kombu import Connection

from kasane.bus.admin import BrokerAdmin, check_amqp
from kasane.bus.operator import ensure_operator
from kasane.bus.organisations import accesses_of, admit
from kasane.bus.topology import declare_consumer, declare_exchanges
from kasane.audit.signing import ensure_key
from kasane.bus.sealed import ensure_receiving_key
from kasane.config import BrokerSettings, DatabaseSettings, receiving_key_file, signing_key_file
from kasane.deployment import DeployedInstance
from kasane.services import subscriptions
from kasane.store.provision import admin_connection, provision_instance


def check_infrastructure(database: DatabaseSettings, broker: BrokerSettings) -> None:
    """Raise InfrastructureUnavailable, in one sentence with the fixing command, if either is down."""
    admin_connection(database).close()
    check_amqp(broker, vhost="/")


def provision(deployment: list[DeployedInstance], progress=print) -> None:
    """Idempotently create the vhost, every instance's database and the queues consumers need."""
    first = deployment[0].settings
    check_infrastructure(first.database, first.broker)
    admin = BrokerAdmin(first.broker)
    admin.ensure_management()
    admin.ensure_vhost(first.broker.vhost, users=(first.broker.user,))
    progress(f"bus: vhost {first.broker.vhost} ready")
    for deployed in deployment:
        provision_instance(deployed.settings)
        ensure_key(signing_key_file(deployed.settings.instance))
        ensure_receiving_key(receiving_key_file(deployed.settings.instance))  # senders seal to it
        progress(f"database: {deployed.settings.database.database_for(deployed.settings.instance)} ready")
    declare_topology(deployment)
    progress("bus: exchanges and inbox queues declared")
    for access in accesses_of(deployment):
        admit(first.broker, access)
    progress(f"bus: {len(accesses_of(deployment))} organisation user(s) with their own rights")
    ensure_operator(first.broker)
    progress("bus: city IT's operator user (replays of unrouted and dead-lettered events)")


def declare_topology(deployment: list[DeployedInstance]) -> None:
    """Declare every consumer's queue before any service publishes, so nothing is unrouted."""
    broker = deployment[0].settings.broker
    # A busy broker can take seconds to accept a connection; provisioning may wait for it.
    with Connection(broker.amqp_uri, connect_timeout=15) as connection:
        channel = connection.channel()
        declare_exchanges(channel)
        for deployed in deployment:
            wanted = subscriptions(deployed.settings.service)
            if wanted:
                declare_consumer(channel, deployed.settings.instance, wanted)
