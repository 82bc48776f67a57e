"""Stage marks of the write path for bench_referrals (issue 24): when each message left the
relay, reached the consumer, was taken into a batch, checked, and committed.

The bench puts this folder first on its services' PYTHONPATH and sets KASANE_STAGE_DIR. When
kasane.bus.relay and kasane.bus.consumer are imported, their methods are wrapped to append
(stage, origin instance, position, epoch seconds) to a list — no I/O, no lock, no round trip on
the path; a native thread appends the new marks to KASANE_STAGE_DIR/<pid>.jsonl every 0.25 s.
Only positions and times are kept: nothing of a message's body. (It shadows the stack
sampler's sitecustomize: use one or the other.)
"""
import importlib.abc
import importlib.machinery
import json
import os
import sys
import threading
from time import sleep as _sleep, time as _time  # bound before eventlet patches them

_DIR = os.environ.get("KASANE_STAGE_DIR")
_marks: list = []
_unconfirmed: list = []  # the relay's (origin, position) published since its last wait for confirms


def _key(message) -> tuple:
    headers = message.headers or {}
    return headers.get("kasane-origin-instance"), headers.get("kasane-position")


def _probe_relay(module) -> None:
    relay, confirms = module.OutboxRelay, module.PublisherConfirms
    publish, wait_all = relay._publish, confirms.wait_all

    def _publish(self, producer, envelope):
        publish(self, producer, envelope)
        _marks.append(("published", self.origin.instance, envelope["position"], _time()))
        _unconfirmed.append((self.origin.instance, envelope["position"]))

    def _wait_all(self, *args, **kwargs):
        wait_all(self, *args, **kwargs)
        now = _time()
        _marks.extend(("confirmed", origin, position, now) for origin, position in _unconfirmed)
        _unconfirmed.clear()

    relay._publish, confirms.wait_all = _publish, _wait_all


_batch: dict = {}  # the consumer's greenlet -> the keys of the batch it commits now


def _mark_batch(stage: str) -> None:
    """Marks the stage for the batch the calling greenlet commits (none when it is no consumer's)."""
    keys = _batch.get(_greenlet())
    if keys:
        now = _time()
        _marks.extend((stage, *key, now) for key in keys)


def _greenlet():
    import greenlet
    return greenlet.getcurrent()


def _probe_store(module) -> None:
    """Within a consumer's batch: handled (its events made), keyed (their new data keys made)
    and saved (its transaction committed, before the after-save callbacks)."""
    app = module.KasaneApplication
    save_events, save_domain = app.save_events, app._save_domain_events

    def _save_events(self, *args, **kwargs):
        _mark_batch("handled")
        return save_events(self, *args, **kwargs)

    def _save_domain_events(self, events, **kwargs):
        _mark_batch("keyed")
        recordings = save_domain(self, events, **kwargs)
        _mark_batch("saved")
        return recordings

    app.save_events, app._save_domain_events = _save_events, _save_domain_events


def _probe_consumer(module) -> None:
    consumer_class, inbox = module.Consumer, module.InboxConsumer
    process, commit = inbox.process, inbox._commit

    class UnitOfWork(module.UnitOfWork):
        def prefetch(self, *args, **kwargs):
            rows = super().prefetch(*args, **kwargs)
            _mark_batch("prefetched")
            return rows

    module.UnitOfWork = UnitOfWork

    def consumer(*args, on_message, **kwargs):
        def arrived(message):
            _marks.append(("received", *_key(message), _time()))
            on_message(message)
        return consumer_class(*args, on_message=arrived, **kwargs)

    def _process(self, messages):
        taken = _time()
        process(self, messages)
        done = _time()
        for message in messages:
            _marks.append(("taken", *_key(message), taken))
            _marks.append(("committed", *_key(message), done))

    def _commit(self, deliveries):
        now = _time()
        _marks.extend(("checked", *_key(d.message), now) for d in deliveries)
        _batch[_greenlet()] = [_key(d.message) for d in deliveries]
        try:
            return commit(self, deliveries)
        finally:
            _batch.pop(_greenlet(), None)

    module.Consumer, inbox.process, inbox._commit = consumer, _process, _commit


_PROBES = {"kasane.bus.relay": _probe_relay, "kasane.bus.consumer": _probe_consumer,
           "kasane.store.application": _probe_store}


class _ProbingFinder(importlib.abc.MetaPathFinder):
    """Finds the probed modules as usual, and wraps their methods once they have run."""

    def find_spec(self, name, path, target=None):
        if name not in _PROBES:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return None
        execute = spec.loader.exec_module

        def exec_module(module):
            execute(module)
            _PROBES[name](module)

        spec.loader.exec_module = exec_module
        return spec


def _write(path: str) -> None:
    written = 0
    while True:
        _sleep(0.25)
        new = _marks[written:]
        if new:
            with open(path, "a") as out:
                out.writelines(json.dumps(mark) + "\n" for mark in new)
            written += len(new)


if _DIR:
    sys.meta_path.insert(0, _ProbingFinder())
    threading.Thread(target=_write, args=(os.path.join(_DIR, f"{os.getpid()}.jsonl"),),
                     daemon=True).start()
