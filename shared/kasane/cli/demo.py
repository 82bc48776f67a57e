"""`kasane demo`: one household's first steps through the platform, printed as caseworkers read it.

A sample 8050 household (an elderly mother and her son who has not left home for years) is
received at a 地域包括支援センター, referred to 多機関協働, and opened as a case there; then what
each service knows is printed, and everything the demo started is stopped.

The demo runs on its own deployment state, removed and made anew at every run (databases under
prefix KASANE_DEMO_PREFIX, default `kasane_demo`; vhost KASANE_DEMO_VHOST, default
`kasane-demo`; keys and logs under var/demo/), so it passes again after `make clean`, from a
second checkout and beside another deployment (which `kasane demo` never touches).
"""
from __future__ import annotations

import os
import time
from datetime import datetime, timezone
from typing import Any

from kasane.client import rpc_cluster
from kasane.clock import parse_time
from kasane.cli import processes
from kasane.cli.directory import register_instances
from kasane.cli.operations import check_ports, down, teardown
from kasane.cli.platform import provision
from kasane.config import state_dir
from kasane.deployment import DeployedInstance, load_deployment
from kasane.errors import KasaneError
from kasane_contracts.vocabulary import CHANNELS, CONSULTED_BY, ISSUE_CATEGORIES, REFERRAL_REASONS, label

# Fictional people: no resemblance to any resident is intended.
SAMPLE_INTAKE: dict[str, Any] = {
    "channel": "phone",
    "consulted_by": "minsei_iin",
    "persons": [
        {"name": "見本 ハナ", "kana": "ミホン ハナ", "birth_date": "1942-05-10", "relation": "self",
         "area": "常盤平"},
        {"name": "見本 一郎", "kana": "ミホン イチロウ", "birth_date": "1971-09-01",
         "relation": "child", "area": "常盤平"},
    ],
    "summary": "民生委員より。母の介護が必要だが、同居の長男が長年ひきこもっており支援が入れない。",
    "issue_categories": ["care", "8050", "hikikomori", "isolation"],
    "urgency": "priority",
    "caseworker_id": "tokiwadaira-sw-01",
}


def demo_environment(env=os.environ) -> dict:
    """The demo's own prefix, vhost and state directory (never those of `kasane up`)."""
    return {"KASANE_DB_PREFIX": env.get("KASANE_DEMO_PREFIX", "kasane_demo"),
            "KASANE_AMQP_VHOST": env.get("KASANE_DEMO_VHOST", "kasane-demo"),
            "KASANE_STATE_DIR": str(state_dir(env) / "demo"),
            # One household needs few connections: leave PostgreSQL's slots to other deployments.
            "KASANE_PG_POOL_SIZE": env.get("KASANE_DEMO_PG_POOL_SIZE", "2")}


def run_demo(say=print) -> None:
    os.environ.update(demo_environment())  # this process and the instances it starts
    deployment = load_deployment()
    say("== kasane demo: 重層的支援体制整備事業, one household from 相談 to 多機関協働 ==")
    check_ports(deployment)
    teardown(deployment, say=lambda line: None)  # the previous run's state, if any
    say(f"  from a clean state: databases {deployment[0].settings.database.prefix}_*, "
        f"vhost {deployment[0].settings.broker.vhost}")
    provision(deployment, progress=lambda line: say(f"  {line}"))
    started = []
    try:
        for deployed in deployment:
            processes.stop(deployed.settings.instance)
            processes.start(deployed)
            started.append(deployed.settings.instance)
        processes.wait_ready(deployment)
        say(f"  started {len(started)} service processes: {', '.join(started)}")
        register_instances(deployment, say=lambda line: say(f"  {line}"))
        _apply_city_profile(deployment, say)
        drive(deployment, say)
    finally:  # at once, as `kasane down` stops them: each signs its head on the way out
        down([d for d in deployment if d.settings.instance in started], say=lambda line: None)
        say(f"  stopped {len(started)} service processes")
    _print_verification(say)


def drive(deployment: list[DeployedInstance], say) -> None:
    consultation = _first(deployment, "consultation")
    collaboration = _first(deployment, "collaboration")
    agency = consultation.agencies[0]
    caseworker = {"name": "tokiwadaira-sw-01", "organisation": consultation.settings.organisation}
    with rpc_cluster(consultation.settings.broker, reader=caseworker) as rpc:
        desk = rpc[consultation.settings.instance]
        household = _choose_household(desk, say)
        since = datetime.now(timezone.utc).isoformat()
        received = desk.receive_consultation({
            **SAMPLE_INTAKE, **household,
            "agency": {"agency_id": agency["agency_id"], "name": agency["name"]},
            "received_at": datetime.now(timezone.utc).isoformat()})
        say(f"[相談受付] {agency['name']}: {label(CHANNELS, SAMPLE_INTAKE['channel'])}で"
            f"{label(CONSULTED_BY, SAMPLE_INTAKE['consulted_by'])}から相談を受付")
        referral = desk.refer_to_collaboration({
            "consultation_id": received["consultation_id"], "caseworker_id": "tokiwadaira-sw-01",
            "reasons": ["compound_issues", "role_division_needed"],
            "note": "母の介護と長男のひきこもり。複数機関の役割分担が必要。"})
        say("[つなぎ] 多機関協働へ紹介 (理由: "
            + "、".join(label(REFERRAL_REASONS, r) for r in ["compound_issues", "role_division_needed"]) + ")")
        case = _wait_for_case(rpc[collaboration.settings.instance], received["household_id"])
        _print_knowledge(say, desk.get_consultation(received["consultation_id"]), case, referral)
        _print_ledger(say, rpc, deployment, received["household_id"], since)
        for deployed in (consultation, collaboration):
            health = rpc[deployed.settings.instance].health()
            say(f"[稼働状況] {deployed.settings.instance}: relay={health['relay']} "
                f"consumer={health['consumer']}")


def _choose_household(desk, say) -> dict:
    """世帯の確認 — search by kana before creating: the household found is chosen, and persons
    already known there are named by their ids so that nobody is recorded twice."""
    matches = {p["kana"]: desk.find_households({"kana": p["kana"]})["candidates"]
               for p in SAMPLE_INTAKE["persons"]}
    found = [c for candidates in matches.values() for c in candidates]
    if not found:
        say("\n[世帯の確認] カナ氏名で検索: 該当なし → 新しい世帯として登録")
        return {"new_household": True}
    household_id = found[0]["household_id"]
    persons = []
    for person in SAMPLE_INTAKE["persons"]:
        known = [c for c in matches[person["kana"]] if c["household_id"] == household_id]
        persons.append({"person_id": known[0]["person_id"]} if known else person)
    say(f"\n[世帯の確認] カナ氏名で検索: {len(found)} 件 → 既存の世帯を選択")
    return {"household_id": household_id, "persons": persons}


def _wait_for_case(collaboration, household_id: str, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        case = collaboration.open_case_of(household_id)
        if case:
            return case
        time.sleep(0.1)
    raise KasaneError("collaboration did not open a case within 30 s; see var/demo/log/")


def _print_knowledge(say, consultation: dict, case: dict, referral: dict) -> None:
    say("\n--- consultation (包括的相談支援事業) knows ---")
    say(f"  相談ID {consultation['consultation_id']}  世帯ID {consultation['household_id']}")
    say(f"  受付機関 {consultation['agency']['name']}  状態 {consultation['status']}")
    say("  課題分類 " + "、".join(label(ISSUE_CATEGORIES, c) for c in consultation["issue_categories"]))
    say(f"  紹介ID {referral['referral_id']}")
    say("--- collaboration (多機関協働事業) knows ---")
    say(f"  ケースID {case['case_id']}  世帯ID {case['household_id']}  状態 {case['status']}")
    say(f"  紹介元機関 {case['referring_agency']['name']} (instance {case['referrals'][0]['origin_instance']})")
    say("  (氏名・相談内容は本人同意の記録前のため多機関協働へ送られていません)")


def _apply_city_profile(deployment: list[DeployedInstance], say) -> None:
    """The city's directory publishes its organisations and agencies (deploy/profiles/)."""
    directory = next((d for d in deployment if d.settings.service == "directory"), None)
    if directory is None:
        return
    city = load_city(deployment)
    with rpc_cluster(directory.settings.broker) as rpc:
        applied = rpc[directory.settings.instance].apply_profile({"profile": city})
        agencies = rpc[directory.settings.instance].agencies()
    say(f"\n[市の名簿] {city}: 機関 {len(agencies)} 件を掲載 (今回の変更 {applied['recorded']} 件)")


def load_city(deployment) -> str:
    from kasane.deployment import deployment_city, deployment_file
    return deployment_city(deployment_file()) or "matsudo"


def _print_ledger(say, rpc, deployment, household_id: str, since: str) -> None:
    """The ledger's rows of this run: wait until this run's referral and case are among them."""
    ledger = next((d for d in deployment if d.settings.service == "audit"), None)
    if ledger is None:
        return
    reader = {"name": "demo", "organisation": ledger.settings.organisation}
    wanted, deadline = {"consultation.household_referred", "collaboration.case_opened"}, time.monotonic() + 30
    with rpc_cluster(ledger.settings.broker, reader=reader) as as_reader:  # the reader, in the context
        while True:
            history = as_reader[ledger.settings.instance].history({"household_id": household_id})
            rows = [row for row in history["events"] if parse_time(row["occurred_at"]) >= parse_time(since)]
            if wanted <= {row["type"] for row in rows} or time.monotonic() > deadline:
                break
            time.sleep(0.2)
    say("--- audit ledger (監査台帳) replays the household across services ---")
    for row in rows:
        say(f"  {row['occurred_at']}  {row['label']}  [{row['service_label']}]")
    if not wanted <= {row["type"] for row in rows}:
        raise KasaneError("the audit ledger did not receive this run's referral within 30 s; see var/demo/log/")
    say("  (この閲覧も台帳に記録されました)")


def _print_verification(say) -> None:
    import io
    from kasane.cli import audit

    out = io.StringIO()
    status = audit.verify(out=out)
    say("--- kasane audit verify (ハッシュチェーンと署名付きチェックポイントの検証) ---")
    for line in out.getvalue().splitlines():
        say(f"  {line}")
    if status:
        raise KasaneError("audit verification failed; see above")


def _first(deployment: list[DeployedInstance], service: str) -> DeployedInstance:
    for deployed in deployment:
        if deployed.settings.service == service:
            return deployed
    raise KasaneError(f"the deployment has no {service} instance")
