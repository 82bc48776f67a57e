"""An entrypoint declared as a `Command` is an RPC entrypoint of its attribute's name: it
validates, reaches the application's use case of that name (or the one it names) and reports a
missing record as NotFound of what it names, else of the service's subject."""
from types import SimpleNamespace

import pytest
from eventsourcing.application import AggregateNotFoundError
from marshmallow import fields

from kasane.errors import InvalidCommand, NotFound
from kasane.runtime.commands import CommandSchema
from kasane.runtime.rpc import VouchedRpc
from kasane.runtime.service import Command, InstanceEntrypoints


class NoteSchema(CommandSchema):
    text = fields.String(required=True)


class Desk:
    def __init__(self):
        self.calls = []

    def take_note(self, trace, **data):
        self.calls.append(("take_note", data))
        return {"taken": data["text"]}

    def strike(self, trace, **data):
        raise AggregateNotFoundError("no such note")


class NoteService(InstanceEntrypoints):
    command_subject = "note"

    take_note = Command(NoteSchema, "メモ — take a note.")
    strike_note = Command(NoteSchema, use_case="strike")
    strike_page = Command(NoteSchema, use_case="strike", what="page")


def service_with(app) -> NoteService:
    service = NoteService()
    service.kasane = SimpleNamespace(app=app)
    return service


def test_a_declared_command_is_an_rpc_entrypoint_named_and_documented_as_declared():
    entrypoint = NoteService.take_note
    assert entrypoint.__name__ == "take_note" and entrypoint.__doc__ == "メモ — take a note."
    assert [type(e) for e in entrypoint.nameko_entrypoints] == [VouchedRpc]


def test_a_declared_command_validates_and_calls_the_use_case_of_its_name():
    desk = Desk()
    assert service_with(desk).take_note({"text": "訪問済み"}) == {"taken": "訪問済み"}
    assert desk.calls == [("take_note", {"text": "訪問済み"})]
    with pytest.raises(InvalidCommand) as refused:
        service_with(desk).take_note({})
    assert "text" in refused.value.args[0]
    assert len(desk.calls) == 1


def test_a_missing_record_is_not_found_as_the_command_names_it_else_as_the_service_subject():
    with pytest.raises(NotFound, match="^note not found$"):
        service_with(Desk()).strike_note({"text": "x"})
    with pytest.raises(NotFound, match="^page not found$"):
        service_with(Desk()).strike_page({"text": "x"})
