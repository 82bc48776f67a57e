"""The business-line services kasane knows, and how to find their parts by name."""
from __future__ import annotations

import importlib

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


def subscriptions(service: str) -> list[tuple[str, int]]:
    """The (event type, version) pairs the service consumes: its `integration.SUBSCRIPTIONS`,
    and for a business line the directory's events too (its copy of the directory, 名簿の写し,
    kept by the kernel: kasane.directory_copy). Bus provisioning binds the inbox queues by it."""
    from kasane.directory_copy.handlers import keeps_copy, merged_subscriptions

    service_class(service)  # fail clearly on an unknown name
    module = importlib.import_module(f"{service}.integration")
    own = list(getattr(module, "SUBSCRIPTIONS", ()))
    return merged_subscriptions(own) if keeps_copy(service) else own


def handlers_of(service: str, own: dict) -> dict:
    """The handlers an instance of the service runs: its own (`integration.handlers(app)`) and,
    for a business line, those that keep its copy of the directory (名簿の写し)."""
    from kasane.directory_copy.handlers import keeps_copy, merged_handlers

    return merged_handlers(own) if keeps_copy(service) else dict(own)


def translators_of(service: str):
    """The service's outgoing translators, as its running instances register them."""
    from kasane.audit.checkpoint import CheckpointLog, checkpoint_signed
    from kasane.audit.reads import ReadLog, personal_data_read

    service_class(service)
    registry = importlib.import_module(f"{service}.integration").translators()
    registry.register(CheckpointLog.CheckpointSigned, checkpoint_signed)
    registry.register(ReadLog.PersonalDataRead, personal_data_read)
    return registry
