"""A process started with a faked clock (時計のずれ): imported first (the harness puts a
`sitecustomize` importing it on the instance's PYTHONPATH), it moves kasane's one clock
(kasane.clock) by KASANE_FAULTS_CLOCK_SKEW_SECONDS. Only what the services ask of kasane.clock
moves: timers and timeouts keep the machine's clock, as a skewed host's NTP would leave them."""
import os
from datetime import datetime, timedelta, timezone

import kasane.clock

SKEW = timedelta(seconds=float(os.environ.get("KASANE_FAULTS_CLOCK_SKEW_SECONDS") or 0))
if SKEW:
    kasane.clock._source = lambda: datetime.now(timezone.utc) + SKEW
