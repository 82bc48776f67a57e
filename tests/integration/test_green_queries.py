"""psycopg under eventlet: queries from concurrent green threads must overlap.

psycopg's C wait function blocks the whole process under eventlet (../shared/PITFALLS.md);
kasane.greening installs kasane.green_wait. If that stops working, ten 0.3 s queries take ~3 s in a
row instead of ~0.3 s side by side, and this test fails.
"""
import subprocess
import sys

import pytest

pytestmark = pytest.mark.integration

PROGRAM = """
import kasane.greening
import time, eventlet, psycopg
def sleep_in_postgres(_):
    with psycopg.connect(host="127.0.0.1", user="postgres", dbname="postgres") as conn:
        conn.execute("SELECT pg_sleep(0.3)")
pool = eventlet.GreenPool(10)
started = time.monotonic()
list(pool.imap(sleep_in_postgres, range(10)))
print(psycopg.waiting.wait.__module__)
print(time.monotonic() - started)
"""


def test_ten_queries_in_green_threads_run_side_by_side():
    result = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True,
                            timeout=60, check=True)
    wait, elapsed = result.stdout.strip().splitlines()[-2], float(result.stdout.strip().splitlines()[-1])
    assert wait == "kasane.green_wait"  # psycopg waits on eventlet's hub directly
    # Serialised they take at least 3.0 s; overlapping, about 0.3 s plus connection set-up.
    assert elapsed < 1.5, f"queries did not overlap: {elapsed:.2f}s for 10 x 0.3s"
