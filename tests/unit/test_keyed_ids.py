"""Aggregates kept once per key (kasane.keyed), composite keys included, keep the ids they
were stored under before the kernel made them."""
from uuid import NAMESPACE_URL, uuid4, uuid5

from kasane.audit.checkpoint import CheckpointLog

from collaboration.domain.same_person import SamePersonCheck
from directory.domain.information_register import InformationRegister
from directory.domain.kpi_actuals import KpiActuals


def test_aggregates_keyed_by_the_kernel_keep_the_ids_they_were_stored_under():
    """Stored before they were KeyedAggregates: the same key must still find them."""
    case_id, other = uuid4(), uuid4()

    def url(path):
        return uuid5(NAMESPACE_URL, f"https://kasane.example/{path}")

    assert KpiActuals.create_id("matsudo", 2025) == uuid5(url("directory/kpi-actuals"), "matsudo/2025")
    assert KpiActuals.create_id(city="matsudo", fiscal_year=2025) == KpiActuals.create_id("matsudo", 2025)
    assert KpiActuals(city="matsudo", fiscal_year=2025).id == KpiActuals.create_id("matsudo", 2025)
    assert SamePersonCheck.create_id(case_id, other) == uuid5(url("collaboration/same-person"),
                                                               f"{case_id}/{other}")
    assert InformationRegister.create_id("org-1") == uuid5(url("directory/information-register"), "org-1")
    assert CheckpointLog.create_id("desk-1") == uuid5(url("audit/checkpoint-log"), "desk-1")
