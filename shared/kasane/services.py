"""The business-line services kasane knows, and how to find their parts by name."""
from __future__ import annotations

import importlib
import importlib.util

from kasane.config import ConfigurationError

SERVICE_CLASSES = {
    "consultation": "consultation.service:ConsultationService",
    "collaboration": "collaboration.service:CollaborationService",
    "audit": "audit.service:AuditLedgerService",
    "directory": "directory.service:DirectoryService",
    "outreach": "outreach.service:OutreachService",
    "participation": "participation.service:ParticipationService",
    "community": "community.service:CommunityService",
    "gateway": "gateway.service:GatewayService",  # 窓口: people's door, one per organisation
}


def service_class(service: str) -> type:
    try:
        module_name, class_name = SERVICE_CLASSES[service].split(":")
    except KeyError:
        raise ConfigurationError(
            f"unknown service {service!r}; known: {', '.join(sorted(SERVICE_CLASSES))}") from None
    return getattr(importlib.import_module(module_name), class_name)


def own_tables(service: str) -> tuple[list[str], tuple[str, ...]]:
    """A service's own changeable tables beside its append-only store (`<service>.storage`:
    OWN_TABLES_DDL and OWN_TABLES — the gateway's sessions and drafts), or none."""
    if importlib.util.find_spec(f"{service}.storage") is None:
        return [], ()
    module = importlib.import_module(f"{service}.storage")
    return list(module.OWN_TABLES_DDL), tuple(module.OWN_TABLES)


def integration_of(service: str):
    """The service's integration table (`<service>.integration.INTEGRATION`, kasane.integration)."""
    service_class(service)  # fail clearly on an unknown name
    return importlib.import_module(f"{service}.integration").INTEGRATION


def subscriptions(service: str) -> list[tuple]:
    """What the service consumes, from its integration table, and for a business line the
    directory's events too (its copy of the directory, 名簿の写し, kept by the kernel:
    kasane.directory_copy). Bus provisioning binds the inbox queues by it."""
    from kasane.directory_copy.handlers import keeps_copy, merged_subscriptions

    own = integration_of(service).subscriptions()
    return merged_subscriptions(own) if keeps_copy(service) else own


def handlers_of(service: str, own: dict) -> dict:
    """The handlers an instance of the service runs: its own (from its integration table) and,
    for a business line, those that keep its copy of the directory (名簿の写し)."""
    from kasane.directory_copy.handlers import keeps_copy, merged_handlers

    return merged_handlers(own) if keeps_copy(service) else dict(own)


def translators_of(service: str, audit_instance: str | None = None):
    """The instance's outgoing translators: its service's and the kernel's own (checkpoints,
    read records addressed to the audit ledger), as its relay registers them."""
    from kasane.integration import kernel_publications

    return integration_of(service).translators(also=kernel_publications(audit_instance))
