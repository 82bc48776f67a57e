"""The 8050 story's world: three organisations (the desk, the city's 多機関協働, the 社協's
outreach), each with its instance and gateway, on a vhost and databases of their own — the
city's directory (a small profile) and its instance registry are broadcast to every instance of
a vhost, and must not reach the rest of the run's."""
from __future__ import annotations

import secrets
from dataclasses import replace
from pathlib import Path

import yaml

from tests.servers import Platform, wait_until
from kasane.cli.directory import register_instances
from tests.pages_helpers import desk_gateway

KOMAE = Path(__file__).resolve().parents[1] / "deploy" / "profiles" / "komae.yaml"


def small_city(tmp_path: Path, city: str) -> Path:
    """Komae's profile under another city id: its 福祉相談課 runs 多機関協働, its 社協 the CSW outreach."""
    text = KOMAE.read_text(encoding="utf-8").replace("komae", city)
    path = tmp_path / f"{city}.yaml"
    path.write_text(text, encoding="utf-8")
    assert yaml.safe_load(text)["city"]["id"] == city
    return path


def story_world(p: Platform, tmp_path: Path, participation: bool = False) -> dict:
    """`participation`: a fourth organisation runs 参加支援, whose plans go to the city's 多機関協働
    to be judged (issue 19); started and registered with the rest, before the profile is applied."""
    city = "pgs" + secrets.token_hex(2)
    orgs = {"desk": f"{city}-hokatsu", "takikan": f"{city}-fukushi-soudan", "shakyo": f"{city}-shakyo"}
    desk_agency = {"agency_id": f"{city}-hokatsu-a", "name": "地域包括支援センター あいとぴあ"}
    directory = p.instance("directory", f"{city}-dir", organisation=f"{city}-city")
    desk = p.instance("consultation", f"{city}-desk", organisation=orgs["desk"], agencies=(desk_agency,))
    takikan = p.instance("collaboration", f"{city}-takikan", organisation=orgs["takikan"])
    csw = p.instance("outreach", f"{city}-csw", organisation=orgs["shakyo"])
    desk = replace(desk, collaboration_instance=takikan.settings.instance)  # where its referrals go
    gates = {"desk": desk_gateway(p, f"{city}-gate-desk", orgs["desk"], [desk], agencies=(desk_agency,)),
             "takikan": desk_gateway(p, f"{city}-gate-takikan", orgs["takikan"], [takikan], agencies=()),
             "shakyo": desk_gateway(p, f"{city}-gate-shakyo", orgs["shakyo"], [csw], agencies=())}
    lines = [desk, takikan, csw]
    if participation:
        orgs["sanka"] = f"{city}-sanka"
        sanka = replace(p.instance("participation", f"{city}-sanka", organisation=orgs["sanka"]),
                        collaboration_instance=takikan.settings.instance)
        lines.append(sanka)
        gates["sanka"] = desk_gateway(p, f"{city}-gate-sanka", orgs["sanka"], [sanka], agencies=())
    p.start(directory, kasane_profile_paths="1")
    for deployed in (*lines, *gates.values()):
        p.start(deployed)
    register_instances([directory, *lines, *gates.values()], say=lambda line: None)
    with p.rpc() as rpc:
        rpc[directory.settings.instance].apply_profile({"path": str(small_city(tmp_path, city))})
        t = takikan.settings.instance
        wait_until(lambda: rpc[t].directory_instances() and rpc[t].directory_agencies(business_line="outreach"),
                   timeout=60, message="the directory and the registry in 多機関協働's copy")
    return {"city": city, "orgs": orgs, "gates": gates, "desk_agency": desk_agency}
