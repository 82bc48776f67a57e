"""The audit ledger listens to every integration event on the bus and publishes none of its
own (except, like every instance, its signed checkpoints)."""
from __future__ import annotations

from kasane.bus.envelope import TranslatorRegistry
from kasane.bus.topology import EVERY_EVENT

SUBSCRIPTIONS = [EVERY_EVENT]


def translators() -> TranslatorRegistry:
    return TranslatorRegistry()


def handlers(app) -> dict:
    return {EVERY_EVENT: app.on_integration_event}
