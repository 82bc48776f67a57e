"""What a service's bootstrap hands to the runtime: its application, and what to do with a
refused message. What it consumes and publishes the runtime reads from the service's
integration table (kasane.integration)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional


@dataclass
class Wiring:
    app: object
    # The audit ledger keeps refused messages as evidence (証跡); others only dead-letter them.
    on_refused: Optional[Callable] = None
