"""kasane's errors travel over RPC as themselves (not as nameko's generic RemoteError): every
subclass of KasaneError — the kernel's and each service's domain rules (ConsentRequired, …) —
is rebuilt on the caller's side with its own class and message."""
import importlib
import logging

from nameko.exceptions import deserialize_to_instance

from kasane.errors import KasaneError

log = logging.getLogger(__name__)
_registered = False


def register_remote_errors() -> None:
    global _registered
    if _registered:
        return
    _import_services()
    for error in _subclasses(KasaneError):
        deserialize_to_instance(error)
    _registered = True


def _import_services() -> None:
    """Import every service so that their domain errors are known to this (calling) process."""
    from kasane.services import SERVICE_CLASSES
    for path in SERVICE_CLASSES.values():
        try:
            importlib.import_module(path.split(":")[0])
        except ImportError as exc:  # a service not installed here: its errors stay RemoteError
            log.debug("service %s not importable: %s", path, exc)


def _subclasses(cls) -> list:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found
