"""A stack sampler for the running services when py-spy is not at hand (issue 24).

Put this folder first on PYTHONPATH and set KASANE_SAMPLE_DIR: every Python process started
with that environment (the bench's services inherit it) samples its running stack every 5 ms
from a native thread, and writes the counts to KASANE_SAMPLE_DIR/<pid>.json every 3 s. Under
eventlet, a green thread waiting (database, broker) is not running: waits show as the hub's
`do_poll`, so the share outside it is the process's CPU. Read a file with
`python tests/bench/sampler/sitecustomize.py FILE` (inclusive share per function).
"""
import collections
import json
import os
import sys
import threading
from time import sleep as _sleep, time as _time  # bound before eventlet patches them

_DIR = os.environ.get("KASANE_SAMPLE_DIR")


def _stack(frame) -> str:
    names = []
    while frame is not None and len(names) < 40:
        names.append(f"{os.path.basename(frame.f_code.co_filename)}:{frame.f_code.co_name}")
        frame = frame.f_back
    return ";".join(reversed(names))


def _sample(path: str) -> None:
    counts, written, me = collections.Counter(), _time(), threading.get_ident()
    while True:
        _sleep(0.005)
        for thread, frame in sys._current_frames().items():
            if thread != me:
                counts[_stack(frame)] += 1
        if _time() - written > 3:
            written = _time()
            with open(path, "w") as out:
                json.dump(counts.most_common(3000), out)


def report(path: str, rows: int = 40) -> None:
    stacks = json.load(open(path))
    total = sum(count for _, count in stacks)
    inclusive = collections.Counter()
    for stack, count in stacks:
        for name in set(stack.split(";")):
            inclusive[name] += count
    print(f"{total} samples")
    for name, count in inclusive.most_common(rows):
        print(f"{100 * count / total:5.1f} % {name}")


if __name__ == "__main__":
    report(sys.argv[1])
elif _DIR:
    threading.Thread(target=_sample, args=(os.path.join(_DIR, f"{os.getpid()}.json"),),
                     daemon=True).start()
