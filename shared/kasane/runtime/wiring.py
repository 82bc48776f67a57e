"""What a service's bootstrap hands to the runtime: its application, the translators of its
outgoing events and the handlers of the integration events it consumes."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

from kasane.bus.envelope import TranslatorRegistry


@dataclass
class Wiring:
    app: object
    translators: TranslatorRegistry = field(default_factory=TranslatorRegistry)
    handlers: dict = field(default_factory=dict)  # (type, version) -> handler(envelope, uow)
    # The audit ledger keeps refused messages as evidence (証跡); others only dead-letter them.
    on_refused: Optional[Callable] = None
