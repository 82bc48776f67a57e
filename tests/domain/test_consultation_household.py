"""世帯 — households without duplicates: registration, persons, merge, and the search (in memory)."""
from datetime import datetime, timezone
from uuid import uuid4

import pytest

from consultation.domain.household import Household
from consultation.domain.rules import HouseholdRuleViolation
from consultation.views.search import HouseholdSearch, kana_key

NOW = datetime(2026, 11, 20, 0, 30, tzinfo=timezone.utc)
AGENCY = {"agency_id": "a1", "name": "常盤平高齢者いきいき安心センター"}
HANA = {"name": "見本 ハナ", "kana": "ミホン ハナ", "birth_date": "1942-05-10", "relation": "self", "area": "常盤平"}


def household(*persons, explicit=False) -> Household:
    return Household.register(household_id=uuid4(), persons=list(persons), registered_at=NOW,
                              agency=AGENCY, caseworker_id="sw-1", explicit_choice=explicit)


def searched(*households) -> HouseholdSearch:
    search = HouseholdSearch()
    for h in households:
        for e in h.collect_events():
            search.apply(e)
    return search


def test_a_household_keeps_person_ids_apart_from_their_personal_details():
    h = household(HANA, {"relation": "child"})
    [registered] = h.collect_events()
    assert registered.originator_id == h.id and len(h.person_ids) == 2
    assert registered.personal["persons"][0]["name"] == "見本 ハナ"
    outside = {k: v for k, v in vars(registered).items() if k != "personal"}
    assert "見本" not in repr(outside) and "1942" not in repr(outside)
    assert registered.personal["persons"][1]["birth_date"] is None  # unknown parts are allowed


def test_a_person_named_by_a_known_id_is_not_added_twice():
    h = household(HANA)
    known = h.person_ids[0]
    ids = h.add_persons([{"person_id": known}, {"name": "見本 一郎", "relation": "child"}],
                        added_at=NOW, caseworker_id="sw-1")
    assert ids[0] == known and len(h.person_ids) == 2
    assert [type(e).__name__ for e in h.collect_events()] == ["Registered", "PersonsAdded"]


def test_a_merge_is_recorded_on_both_households_and_overwrites_nothing():
    survivor, absorbed = household(HANA), household({"name": "見本 一郎", "relation": "child"})
    survivor.collect_events(), absorbed.collect_events()
    survivor.absorb(absorbed, merged_at=NOW, caseworker_id="sw-1", agency=AGENCY)
    [merged] = survivor.collect_events()
    [merged_into] = absorbed.collect_events()
    assert merged.merged_household_id == absorbed.id and merged_into.into_household_id == survivor.id
    assert absorbed.merged_into == survivor.id
    assert set(absorbed.person_ids) <= set(survivor.person_ids)
    assert absorbed.persons  # the absorbed record's own history and details stay where they were


@pytest.mark.parametrize("case", ["itself", "twice", "into_merged"])
def test_a_merge_is_refused_with_itself_twice_or_into_a_merged_household(case):
    a, b, c = household(HANA), household(), household()
    a.absorb(b, merged_at=NOW, caseworker_id="sw-1", agency=AGENCY)
    with pytest.raises(HouseholdRuleViolation):
        if case == "itself":
            a.absorb(a, merged_at=NOW, caseworker_id="sw-1", agency=AGENCY)
        elif case == "twice":
            c.absorb(b, merged_at=NOW, caseworker_id="sw-1", agency=AGENCY)
        else:
            b.absorb(c, merged_at=NOW, caseworker_id="sw-1", agency=AGENCY)


def test_a_merged_household_takes_no_new_persons():
    a, b = household(HANA), household()
    a.absorb(b, merged_at=NOW, caseworker_id="sw-1", agency=AGENCY)
    with pytest.raises(HouseholdRuleViolation, match="merged into another"):
        b.add_persons([{"relation": "child"}], added_at=NOW, caseworker_id="sw-1")


def test_a_relation_outside_the_vocabulary_is_refused_without_quoting_it():
    with pytest.raises(HouseholdRuleViolation, match="relation") as refused:
        household({"name": "見本 ハナ", "relation": "いとこ"})
    assert "いとこ" not in str(refused.value) and "見本" not in str(refused.value)


def test_kana_is_found_whatever_its_script_width_or_spacing():
    assert kana_key("みほん　はな") == kana_key("ﾐﾎﾝ ﾊﾅ") == kana_key("ミホン・ハナ") == "ミホンハナ"


def test_search_finds_by_kana_birth_date_or_area_and_an_unknown_part_does_not_exclude():
    hana = household(HANA)
    unknown_birth = household({"name": "見本 ハナ", "kana": "みほん はな", "relation": "self"})
    other_birth = household({**HANA, "birth_date": "1950-01-01"})
    search = searched(hana, unknown_birth, other_birth)
    found = search.find(kana="ミホンハナ", birth_date="1942-05-10")
    assert [c["household_id"] for c in found] == [str(hana.id), str(unknown_birth.id)]
    assert found[0]["matched"] == ["birth_date", "kana"] and found[1]["matched"] == ["kana"]
    assert [c["household_id"] for c in search.find(area="常盤平")] == sorted(
        [str(hana.id), str(other_birth.id)])
    assert search.find(kana="ミホンタロウ") == []


def test_duplicates_need_both_kana_and_birth_date_and_follow_a_merge():
    a, b = household(HANA), household({"kana": "ミホン ハナ"})
    search = searched(a, b)
    assert search.duplicates_of([{"kana": "みほん はな", "birth_date": "1942-05-10"}]) == [str(a.id)]
    assert search.duplicates_of([{"kana": "ミホン ハナ"}]) == []  # no birth date: no claim
    survivor = household()
    survivor.absorb(a, merged_at=NOW, caseworker_id="sw-1", agency=AGENCY)
    for e in a.collect_events():
        search.apply(e)
    assert search.duplicates_of([{"kana": "ミホンハナ", "birth_date": "1942-05-10"}]) == [str(survivor.id)]


def test_an_erased_person_is_found_no_more_by_any_part_nor_by_the_placeholder_text():
    """削除請求: a person whose key was destroyed reads as a placeholder (kasane.privacy), stored
    or forgotten by the running view; the search skips it, the household's other persons stay."""
    from kasane.privacy.sealing import ERASED, erased_person

    hana, son = household(HANA, {**HANA, "name": "見本 一郎", "kana": "ミホン イチロウ"}), household(HANA)
    search = searched(hana, son)
    [hana_id, ichiro_id] = hana.person_ids
    search.forget(str(hana_id), household=False)
    assert [c["household_id"] for c in search.find(kana="ミホンハナ")] == [str(son.id)]
    assert search.duplicates_of([{"kana": "ミホンハナ", "birth_date": HANA["birth_date"]}]) == [str(son.id)]
    assert [c["person_id"] for c in search.find(kana="ミホン イチロウ")] == [str(ichiro_id)]
    # as a view rebuilt after the erasure stores it: its kana reads 廃棄済み, which finds nobody
    search.persons["x"] = {**erased_person("x", {"d": {"kana": "s"}}), "household_id": str(uuid4())}
    assert search.persons["x"]["kana"] == ERASED and search.find(kana=ERASED) == []
