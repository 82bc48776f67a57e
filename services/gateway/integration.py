"""The gateway listens to no integration event and publishes none of its own: staff accounts stay
in its store. Its relay carries only what the kernel adds (signed checkpoints of that store)."""
from __future__ import annotations

from kasane.integration import Integration

INTEGRATION = Integration()
