"""An aggregate that exists once per key — one per household, one per request, one per
shortage —: its id follows from the key (uuid5 in the aggregate's own namespace), so two
messages about one key racing each other collide on that id and the loser retries.

Only eventsourcing.domain and the standard library: domains use it.
"""
from __future__ import annotations

import inspect
from typing import Any, ClassVar
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate


class KeyedAggregate(Aggregate):
    """`KEY` names the parameter of `__init__` whose value the id follows from (or a tuple of
    them, their values joined by "/": one per city and fiscal year); `NAMESPACE`, set by each
    aggregate class, is its own; `KIND` prefixes the value where aggregates of several kinds
    share a namespace ("household/…"). `create_id(key)` answers the id without loading
    anything. Without a `KEY` the aggregate is the only one of its kind (`create_id()`)."""

    KEY: ClassVar[str | tuple[str, ...]] = ""
    NAMESPACE: ClassVar[UUID]
    KIND: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Before eventsourcing reads create_id's parameter names, to pass it the key by name.
        if "NAMESPACE" in cls.__dict__:
            made = _id_from(cls.KEY, cls.NAMESPACE, cls.KIND)
            cls.create_id = staticmethod(made)  # type: ignore[method-assign, assignment]
        super().__init_subclass__(**kwargs)


class PerHousehold(KeyedAggregate):
    """Kept once per household (世帯): its id follows from `household_id`."""

    KEY = "household_id"


def _id_from(key: str | tuple[str, ...], namespace: UUID, kind: str):
    names = (key,) if isinstance(key, str) and key else tuple(key)

    def create_id(*args: Any, **kwargs: Any) -> UUID:
        values = [*args, *(kwargs[name] for name in names[len(args):])]
        return uuid5(namespace, kind + "/".join(str(value) for value in values))

    parameters = [inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD) for name in names]
    create_id.__signature__ = inspect.Signature(parameters, return_annotation=UUID)  # type: ignore[attr-defined]
    return create_id
