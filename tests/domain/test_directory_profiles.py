"""市のプロファイル — the five shipped profiles load and hold what their seeds tabulate
(/work/shared/seeds, cited per test)."""
from collections import Counter
from pathlib import Path

import pytest

from directory.profile import load_profile

PROFILES = Path(__file__).resolve().parents[2] / "deploy" / "profiles"
CITIES = ["matsudo", "komae", "matsumoto", "ichikawa", "ise"]


def profile(city):
    return load_profile(PROFILES / f"{city}.yaml")


def table(p, name):
    return [a for a in p.agencies if a["table"] == name]


def kpi(p, kpi_id):
    return next(k for k in p.kpi_targets if k["id"] == kpi_id)


@pytest.mark.parametrize("city", CITIES)
def test_each_shipped_profile_loads_and_names_its_own_city(city):
    p = profile(city)
    assert p.city_id == city
    assert all(a["id"].startswith(f"{city}-") for a in [*p.areas, *p.organisations, *p.agencies])
    lines = Counter(a["business_line"] for a in p.agencies)
    assert lines["consultation"] >= 7 and lines["community"] >= 3


@pytest.mark.parametrize(("city", "term", "declared", "named"), [
    ("matsudo", "日常生活圏域", 15, 15),      # 000 §5 生活支援体制整備事業: 日常生活圏域（15か所）
    ("komae", "日常生活圏域", 3, 3),          # 001 §2 ※エリアの表記について
    ("matsumoto", "地区", 35, 35),            # 002 §3 I(1) 35地区
    ("ichikawa", "小域福祉圏", 14, 14),       # 003 第1章 ※³⁻² 市内を14地区 (names inferred)
    ("ise", "日常生活圏域", 12, 0),           # 004 §5(2) 12地区, never named
])
def test_areas_match_the_counts_the_seeds_give(city, term, declared, named):
    p = profile(city)
    assert (p.area_term, p.declared_area_count, len(p.main_areas())) == (term, declared, named)


def test_matsudo_has_sixteen_hokatsu_rows_with_the_kikan_run_directly():
    # 000 §5 地域包括支援センターの運営: 基幹型1か所（直営）, 委託型15か所, one per 日常生活圏域.
    p = profile("matsudo")
    rows = table(p, "地域包括支援センター業務")
    assert len(rows) == 16
    assert Counter(r["運営形態"] for r in rows) == {"委託": 15, "直営": 1}
    kikan = next(r for r in rows if r["運営形態"] == "直営")
    assert kikan["name"] == "基幹型地域包括支援センター" and kikan["area"] == "city-wide"
    assert sorted(r["area"] for r in rows if r is not kikan) == sorted(a["id"] for a in p.areas)


def test_matsudo_tables_have_the_seeds_counts():
    p = profile("matsudo")
    assert len(table(p, "障害者相談支援業務")) == 3
    assert len(table(p, "子育てコーディネーター業務（基本型）")) == 28    # 直営2か所、委託26か所
    assert Counter(r["運営形態"] for r in table(p, "地域子育て支援拠点業務")) == {"委託": 26, "直営": 2}
    assert len(table(p, "母子保健型利用者支援業務")) == 3
    assert len(table(p, "生活支援体制整備業務")) == 15
    assert len(table(p, "地域活動支援センター業務")) == 14               # I型1, II型1, III型12
    outreach = {a["name"]: a for a in p.agencies if a["business_line"] == "outreach"}
    assert outreach["松戸市在宅医療・介護連携支援センター"]["operator"] == "matsudo-ishikai"
    collaboration = [a for a in p.agencies if a["business_line"] == "collaboration"]
    assert [(a["運営形態"], a["所管課"]) for a in collaboration] == [("直営", ["matsudo-chiiki-hokatsu-care"])]
    assert p.kpi_targets == []


def test_komae_has_its_three_areas_and_the_shakyo_runs_outreach_with_one_csw_per_area():
    p = profile("komae")
    assert [a["名称"] for a in p.areas] == ["あいとぴあエリア", "こまえ苑エリア", "こまえ正吉苑エリア"]
    outreach = [a for a in p.agencies if a["business_line"] == "outreach"]
    assert {a["operator"] for a in outreach} == {"komae-shakyo"}
    csw = [a["area"] for a in outreach if a["name"].startswith("CSW（")]
    assert sorted(csw) == sorted(a["id"] for a in p.areas)  # 001 §2: 各圏域CSW


def test_the_profiles_list_what_the_seeds_list_more():
    """issue 19's 'City profiles': each addition with the seed row it comes from."""
    ids = {c: {a["id"] for a in profile(c).agencies} for c in ("matsudo", "matsumoto", "ise")}
    assert {"matsudo-homeless-junkai-soudan", "matsudo-katsuyaku-no-ba-shien",
            "matsudo-kaigo-shien-volunteer"} <= ids["matsudo"]
    assert {"matsumoto-tairyoku-zukuri-supporter", "matsumoto-konkyu-chiiki-zukuri"} <= ids["matsumoto"]
    assert {"ise-kosodate-kyoten-ido", "ise-mama-hot-terrace", "ise-jido-fukushi-desk"} <= ids["ise"]
    ichikawa = profile("ichikawa")
    chiku = {o["id"] for o in ichikawa.organisations if o["id"].startswith("ichikawa-chiku-shakyo-")}
    assert len(chiku) == 14  # 003 第1章: 市内14か所の地区社会福祉協議会
    assert {a["operator"] for a in ichikawa.agencies if a["id"].startswith("ichikawa-care-system-")} == chiku
    assert "ichikawa-soudan-shien-hokatsuka-suishin-kaigi" in {b["id"] for b in ichikawa.meeting_bodies}
    assert {b["id"] for b in profile("komae").meeting_bodies} >= {"komae-shien-chosei-kaigi", "komae-chiiki-care-kaigi"}
    ise = {k["id"]: k for k in profile("ise").kpi_targets}
    # one agency was named for two desks' metrics: each desk is its own agency, and its rows count
    assert (ise["ise-r7-mama-hot-terrace-new"]["agency"], ise["ise-r7-jido-fukushi-new"]["agency"]) == (
        "ise-mama-hot-terrace", "ise-jido-fukushi-desk")
    assert all(ise[k]["counter"] for k in ise if "hot-terrace" in k or "jido-fukushi" in k)


def test_matsumoto_hokatsu_cover_each_of_the_35_districts_exactly_once():
    # 002 §6(1)ア 担当地区 of the 12 地域包括支援センター.
    p = profile("matsumoto")
    centres = [r for r in table(p, "地域包括支援センターの運営") if r["covers"]]
    assert len(centres) == 12
    covered = Counter(area for centre in centres for area in centre["covers"])
    assert set(covered) == {a["id"] for a in p.areas} and set(covered.values()) == {1}
    assert len(table(p, "地区福祉ひろば事業")) == 37                     # 芳川 and 本郷 have two
    assert len(table(p, "地域子育て支援拠点事業")) == 25                 # 5 こどもプラザ + 20 広場


def test_ichikawa_agencies_and_fy_r5_targets():
    # 003 第2章 and 第3章3.
    p = profile("ichikawa")
    assert len(table(p, "地域包括支援センター（高齢者サポートセンター）運営")) == 15
    assert Counter(r["運営形態"] for r in table(p, "地域子育て支援拠点事業")) == {"委託": 14, "直営": 4}
    assert len(p.kpi_targets) == 15
    assert {(k["年度"], k["fiscal_year"]) for k in p.kpi_targets} == {("R5", 2023)}
    assert (kpi(p, "ichikawa-r5-plan-creation-rate")["target"], kpi(p, "ichikawa-r5-plan-creation-rate")["unit"]) == (100, "%")
    assert kpi(p, "ichikawa-r5-referrals-to-takikan")["target"] == 210
    assert kpi(p, "ichikawa-r5-salons")["target"] == 120


def test_ise_yorisoi_is_the_integrated_base_and_the_shakyo_runs_three_businesses():
    # 004 §7: 福祉総合支援センター = 統合型; §5(3)(4) and 地域づくり 委託（伊勢市社会福祉協議会）.
    p = profile("ise")
    yorisoi = next(a for a in p.agencies if a["id"] == "ise-yorisoi")
    assert (yorisoi["設置形態"], yorisoi["運営形態"]) == ("統合型", "直営")
    by_shakyo = {a["business_line"] for a in p.agencies if a["operator"] == "ise-shakyo"}
    assert {"outreach", "participation", "community"} <= by_shakyo
    assert len(table(p, "地域包括支援センター（高齢）")) == 6


@pytest.mark.parametrize(("kpi_id", "target"), [
    # DOMAIN §7, from 004 §5 (R7 見込).
    ("ise-r7-jusoteki-meetings", 30), ("ise-r7-shien-kaigi", 40), ("ise-r7-takikan-plans", 15),
    ("ise-r7-outreach-plans", 10), ("ise-r7-participation-plans", 20),
    ("ise-r7-new-community-hosts", 5), ("ise-r7-new-company-hosts", 10),
    ("ise-r7-citizen-matchings", 200), ("ise-r7-jijo-survey", 343), ("ise-r7-popup-desks", 17),
    ("ise-r7-follow-ups", 60), ("ise-r7-yorisoi-new", 2300), ("ise-r7-hokatsu-total", 9000),
])
def test_ise_fy_r7_targets(kpi_id, target):
    k = kpi(profile("ise"), kpi_id)
    assert (k["年度"], k["fiscal_year"], k["target"]) == ("R7", 2025, target)


def test_ise_targets_cover_every_business_line():
    lines = Counter(k["business_line"] for k in profile("ise").kpi_targets)
    assert set(lines) == {"consultation", "collaboration", "outreach", "participation", "community"}
