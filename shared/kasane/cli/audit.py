"""`kasane audit verify [--json]` — check every instance's chain and signed checkpoints.
`kasane audit rotate-key INSTANCE [--reason TEXT] [--old-key PATH]` — replace an instance's
signing key as a recorded act (the old key signs the new one, or city IT gives a reason).
`kasane audit history HOUSEHOLD_ID [--as-of DATE] [--json|--html]` — replay a household from
the audit ledger; the ledger records the read (閲覧記録).

Exit status 0 only when everything holds. Faults are reported by instance, position and kind
(altered, removed, reordered, inserted, chain_broken, signature_invalid, checkpoint_mismatch,
checkpoint_missing). Nothing personal is printed: only positions and kinds.
"""
from __future__ import annotations

import getpass
import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

from kasane_contracts.vocabulary import AUDITOR_ROLE
from kasane.audit.keys import key_in_force, rotate_key
from kasane.audit.ledger_copy import read_ledger
from kasane.audit.signing import ensure_key, load_key, public_key_hex
from kasane.audit.verify import registered_public_key, verify_instance
from kasane.client import rpc_cluster
from kasane.clock import JST
from kasane.config import ConfigurationError, signing_key_file
from kasane.deployment import load_deployment
from kasane.errors import KasaneError

FORGED_ORIGIN = "forged_origin"
PROFILES_DIR = Path(__file__).resolve().parents[3] / "deploy" / "profiles"


def verify(as_json: bool = False, out=sys.stdout) -> int:
    deployment = load_deployment()
    ledger = next((d for d in deployment if d.settings.service == "audit"), None)
    copy = read_ledger(ledger.settings) if ledger else None
    verdicts = [verify_instance(d.settings, registered_public_key(d.settings.instance), ledger=copy)
                for d in deployment]
    holds = all(v.holds for v in verdicts)
    forged = forged_attempts(copy)
    if as_json:
        json.dump({"holds": holds, "instances": [v.as_dict() for v in verdicts], FORGED_ORIGIN: forged},
                  out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        for v in verdicts:
            state = "OK" if v.holds else f"{len(v.faults)} fault(s)"
            out.write(f"{v.instance}: {v.events} events, head {v.head_position}, "
                      f"{v.checkpoints} signed checkpoint(s) — {state}\n")
            for f in v.faults:
                out.write(f"  position {f.position}: {f.kind} — {f.detail}\n")
        _print_forged(forged, out)
        out.write("検証結果: すべて正常\n" if holds else "検証結果: 異常あり\n")
    return 0 if holds else 1


def forged_attempts(copy) -> list[dict]:
    """発信元を偽った送信 — what the ledger refused, by the organisation whose credentials sent
    it. They are not faults of any store (none of them was taken in), so verify still holds."""
    return [{"kind": FORGED_ORIGIN, "sent_by": r["organisation"] or r["user_id"], **r}
            for r in (copy.refusals if copy else [])]


def _print_forged(forged: list[dict], out) -> None:
    if forged:
        out.write(f"{FORGED_ORIGIN}: 発信元を偽った送信 {len(forged)} 件（いずれも記録されていません）\n")
    for f in forged:
        out.write(f"  {f['refused_at']}  sent by {f['sent_by']} as {f['claimed_instance']} "
                  f"position {f['position']} ({f['event_type']}) — {f['reason']}: {f['detail']}\n")


def history(household_id: str, as_of: str | None, fmt: str, reader: str | None, out=sys.stdout) -> int:
    ledger = next((d for d in load_deployment() if d.settings.service == "audit"), None)
    if ledger is None:
        raise ConfigurationError("the deployment has no audit ledger instance (service: audit)")
    query = {"household_id": household_id}
    # `kasane audit history` is the auditors' own tool, run beside the ledger: they read as 監査員
    operator = {"name": reader or getpass.getuser(), "organisation": ledger.settings.organisation,
                "role": AUDITOR_ROLE}
    if as_of:
        query["as_of"] = _as_of(as_of)
    with rpc_cluster(ledger.settings.broker, reader=operator) as rpc:  # the reader, named in the context
        result = rpc[ledger.settings.instance].history(query)
    if not result["events"]:
        sys.stderr.write(f"世帯 {household_id} の記録は監査台帳にありません（世帯IDを確かめてください）。\n")
        return 1
    if fmt == "json":
        json.dump(result, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "html":
        from audit.report import render_html  # the ledger service's own report layout
        out.write(render_html(result, organisation_names()))
    else:
        _print_text(result, out)
    return 0


def organisation_names(profiles_dir: str | Path | None = None) -> dict:
    """Organisation id -> name, as the directory knows them (the city profiles it applies)."""
    from directory.profile import ProfileError, load_profile
    directory = Path(profiles_dir or os.environ.get("KASANE_PROFILES_DIR") or PROFILES_DIR)
    names = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            names.update({o["id"]: o["name"] for o in load_profile(path).organisations})
        except ProfileError:
            continue  # a profile the directory would refuse names nobody
    return names


def _as_of(text: str) -> str:
    """A date means the end of that day (JST, the city's day); a date-time is taken as given."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ConfigurationError("--as-of takes a date (2026-11-23) or an ISO date-time") from None
    if len(text) == 10:
        moment = moment.replace(hour=23, minute=59, second=59, tzinfo=JST)
    elif moment.tzinfo is None:
        moment = moment.replace(tzinfo=JST)
    return moment.astimezone(timezone.utc).isoformat()


def _print_text(result: dict, out) -> None:
    out.write(f"世帯 {result['household_id']} — 時点 {result['as_of'] or '現在'}\n")
    for row in result["events"]:
        out.write(f"  {row['occurred_at']}  {row['label']}  [{row['service_label']} / "
                  f"{row['organisation']}]  担当 {row['caseworker_id'] or '—'}\n")
    for kind, items in result["state"].items():
        if items:
            out.write(f"{kind}: {json.dumps(items, ensure_ascii=False)}\n")


def rotate(instance: str, reason: str | None, old_key_file: str | None, out=sys.stdout) -> int:
    """鍵の更新: with the key file in force, a new key is made and the old one signs it; with
    another key file there (the old one lost), that one is registered, with city IT's reason."""
    from kasane.cli.processes import running_pid
    from kasane.store.application import KasaneApplication, postgres_env

    deployed = next((d for d in load_deployment() if d.settings.instance == instance), None)
    if deployed is None:
        raise ConfigurationError(f"{instance} is not an instance of the deployment")
    if running_pid(instance) is not None:
        raise KasaneError(f"{instance} is running; stop it first (`kasane down`)")
    app = KasaneApplication(env=postgres_env(deployed.settings, pool_size=1))
    try:
        record = _rotate(app, instance, signing_key_file(instance), reason, old_key_file)
    finally:
        app.close()
    how = "signed by the old key" if record["endorsement"] else f"registered by city IT: {reason}"
    out.write(f"{instance}: key {record['new_public_key'][:16]}… replaces "
              f"{record['old_public_key'][:16]}… ({how}); `kasane audit verify` follows it\n")
    return 0


def _rotate(app, instance: str, key_file, reason: str | None, old_key_file: str | None) -> dict:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    in_force = key_in_force(app, instance)
    if key_file.exists() and public_key_hex(load_key(key_file)) == in_force:
        old, new = load_key(key_file), Ed25519PrivateKey.generate()
        record = rotate_key(app, instance, new, old_key=old, reason=reason)
        retired = key_file.with_name(f"{key_file.name}.retired-{record['rotated_at'].replace(':', '')}")
        key_file.rename(retired)
        with os.fdopen(os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as written:
            written.write(new.private_bytes_raw().hex())
        ensure_key(key_file)  # writes the new .pub for the auditors and the ledger
        return record
    ensure_key(key_file)
    lost_or_old = load_key(Path(old_key_file)) if old_key_file else None
    return rotate_key(app, instance, load_key(key_file), old_key=lost_or_old, reason=reason)
