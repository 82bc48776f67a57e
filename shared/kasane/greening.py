"""Make one process cooperative: eventlet's monkey patch plus psycopg's green wait.

psycopg 3's C wait function blocks the whole process under eventlet (it only recognises
gevent), so every process kasane starts sets PSYCOPG_WAIT_FUNC=wait_select before psycopg is
imported (select is then eventlet's green select), and then replaces that wait with one on
eventlet's hub directly (kasane.green_wait). tests/integration/test_green_queries.py fails if
queries stop overlapping.
"""
import os

os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")

import eventlet  # noqa: E402

eventlet.monkey_patch()

from kasane import green_wait  # noqa: E402 — psycopg imported after the patch

green_wait.install()
