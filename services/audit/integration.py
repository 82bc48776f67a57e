"""The audit ledger listens to every integration event on the bus and publishes none of its
own (except, like every instance, its signed checkpoints)."""
from __future__ import annotations

from kasane.integration import Consumes, Integration

INTEGRATION = Integration(consumes=(Consumes("*", "*", "on_integration_event"),))


#: What tests and tools read directly, derived from the table.
SUBSCRIPTIONS, handlers, translators = (INTEGRATION.subscriptions(), INTEGRATION.handlers,
                                        INTEGRATION.translators)
