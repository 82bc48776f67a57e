"""社会資源の不足 — what 多機関協働's 重層的支援会議 found missing (collaboration.
social_resource_shortage_found v1, about no household) becomes a development target (開拓目標)
in each service that develops resources (参加支援, 地域づくり), once per shortage."""
from __future__ import annotations

from datetime import date
from typing import Any


def take_shortage(app, envelope: dict, uow, kind: type[Any]) -> None:
    """A handler of an integration table (kasane.integration): `kind` is the service's own
    development-target aggregate, whose id follows from the shortage id."""
    p = envelope["payload"]
    if uow.find(kind.create_id(p["shortage_id"])) is not None:
        return
    uow.add(kind(shortage_id=p["shortage_id"], meeting_id=p["meeting_id"],
                 origin_instance=envelope["origin"]["instance"], resource_kind=p["resource_kind"],
                 area=p.get("area"), description=p.get("description"),
                 found_on=date.fromisoformat(p["found_on"])))
