"""世帯の足跡: every label names a real event of a business line, and an event that does not name
its household is still placed by the record it belongs to."""
import importlib
import inspect
import pkgutil
from uuid import uuid4
from datetime import datetime, timezone

from eventsourcing.domain import Aggregate, DomainEvent

from kasane.household_trail import LABELS, HouseholdTrail, key_of


def event_keys() -> set[str]:
    keys = set()
    for service in ("collaboration", "outreach", "participation", "community"):
        package = importlib.import_module(f"{service}.domain")
        for module_info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{service}.domain.{module_info.name}")
            for _, aggregate in inspect.getmembers(module, inspect.isclass):
                if issubclass(aggregate, Aggregate) and aggregate.__module__ == module.__name__:
                    keys |= {key_of(e) for _, e in inspect.getmembers(aggregate, inspect.isclass)
                             if issubclass(e, DomainEvent)}
    return keys


def test_every_label_names_an_event_of_a_business_line():
    assert set(LABELS) - event_keys() == set()




def test_an_event_without_its_household_is_placed_by_its_record():
    trail, household, case = HouseholdTrail(), str(uuid4()), uuid4()
    at = datetime(2026, 5, 1, tzinfo=timezone.utc)

    def event(name, **attributes):
        kind = type(name, (), {"__module__": "outreach.domain.case", "__qualname__": f"OutreachCase.{name}"})
        e = kind()
        vars(e).update(originator_id=case, timestamp=at, **attributes)
        return e

    trail.apply(event("LeadTaken", household_id=household))
    trail.apply(event("ContactRecorded"))
    trail.apply(event("Indexed"))  # bookkeeping: not labelled, not shown
    assert [e["label"] for e in trail.of(household)] == ["把握（アウトリーチ）", "訪問・接触の記録"]
    assert trail.of(str(uuid4())) == []
