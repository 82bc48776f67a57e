"""Classes that moved or now share a base keep the topics their stored events were written under,
so every store still reads them (directory entries, city lists, the household case index)."""
from eventsourcing.utils import get_topic

from directory.domain.agency import Agency
from directory.domain.organisation import Organisation


def test_an_agency_and_an_organisation_record_their_life_under_their_own_topics():
    agency = Agency(city="ise", entry_id="ise-yorisoi", record={"name": "よりそい"})
    agency.revise({"name": "よりそい相談室"})
    assert agency.retire() == "withdrawn"
    agency.revise({"name": "よりそい相談室"})
    agency.announce()
    organisation = Organisation(city="ise", entry_id="ise-shakyo", record={"name": "社協"})
    assert organisation.retire() == "disabled"
    assert [get_topic(type(e)) for e in agency.collect_events()] == [
        f"directory.domain.agency:Agency.{name}"
        for name in ("Registered", "Changed", "Withdrawn", "Reinstated", "Announced")]
    assert [get_topic(type(e)) for e in organisation.collect_events()] == [
        "directory.domain.organisation:Organisation.Registered",
        "directory.domain.organisation:Organisation.Disabled"]
    assert (agency.active, organisation.active) == (True, False)


def test_the_directorys_cities_and_a_copys_cities_are_one_list_under_their_own_topics():
    from directory.domain.city import Cities
    from kasane.directory_copy.aggregate import KnownCities

    for kind, topic in ((Cities, "directory.domain.city:Cities"),
                        (KnownCities, "kasane.directory_copy.aggregate:KnownCities")):
        cities = kind()
        assert cities.include("ise") and not cities.include("ise")
        assert cities.cities == ["ise"]
        assert [get_topic(type(e)) for e in cities.collect_events()] == [
            f"{topic}.Started", f"{topic}.CityAdded"]


def test_a_household_case_index_stored_under_its_old_module_still_resolves():
    from eventsourcing.utils import resolve_topic

    from collaboration.domain.households import HouseholdCases

    assert resolve_topic("collaboration.domain.case:HouseholdCases") is HouseholdCases
    assert resolve_topic("collaboration.domain.case:HouseholdCases.CaseOpened") is HouseholdCases.CaseOpened
