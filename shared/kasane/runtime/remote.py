"""kasane's errors travel over RPC as themselves (not as nameko's generic RemoteError)."""
from nameko.exceptions import deserialize_to_instance

from kasane.errors import DomainRuleViolation, InfrastructureUnavailable, InvalidCommand, NotFound

_registered = False


def register_remote_errors() -> None:
    global _registered
    if not _registered:
        for error in (InvalidCommand, DomainRuleViolation, InfrastructureUnavailable, NotFound):
            deserialize_to_instance(error)
        _registered = True
