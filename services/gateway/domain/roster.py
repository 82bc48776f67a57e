"""職員名簿 — the logins of one organisation's staff accounts, and refused sign-ins that named no
account (only a digest of what was typed: it may have been a password)."""
from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

ROSTER_NAMESPACE = uuid5(NAMESPACE_URL, "https://kasane.example/gateway/roster")


class Roster(Aggregate):
    @staticmethod
    def create_id(organisation: str) -> UUID:
        return uuid5(ROSTER_NAMESPACE, organisation)

    @classmethod
    def create(cls, organisation: str) -> "Roster":
        return cls._create(cls.Started, id=cls.create_id(organisation), organisation=organisation)

    class Started(Aggregate.Created):
        organisation: str

    def __init__(self, organisation: str):
        self.organisation = organisation
        self.logins: list[str] = []

    @event("StaffAdded")
    def add(self, login: str) -> None:
        self.logins.append(login)

    @event("UnknownLoginRefused")
    def refuse_unknown(self, login_digest: str) -> None:
        pass
