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


def business_line(app_class: type, *deployment: str) -> Callable:
    """The bootstrap of a business line: its application on the instance's database, knowing
    its instance and organisation and each named deployment setting (InstanceSettings:
    "agencies", "collaboration_instance") it takes."""
    def bootstrap(settings, env) -> Wiring:
        return Wiring(app=app_class(env=env, instance=settings.instance,
                                    organisation=settings.organisation,
                                    **{name: getattr(settings, name) for name in deployment}))
    return bootstrap
