"""Running the `kasane` command as city IT does, against the run's slice of the servers."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

KASANE = str(Path(sys.executable).with_name("kasane"))


def kasane(*args, env: dict | None = None, stdin: str | None = None,
           timeout: float = 180) -> subprocess.CompletedProcess:
    """`kasane ARGS` with the environment and `env` on top; its output as text."""
    return subprocess.run([KASANE, *args], capture_output=True, text=True, timeout=timeout, input=stdin,
                          env={**os.environ, **(env or {})})


def deployment_env(platform, deployment: Path, **more: str) -> dict:
    """The variables that point `kasane` at `deployment` (an instances.yaml) on the run's
    databases and vhost, and `more`."""
    return {"KASANE_DEPLOYMENT": str(deployment), "KASANE_DB_PREFIX": platform.database.prefix,
            "KASANE_AMQP_VHOST": platform.broker.vhost, **more}
