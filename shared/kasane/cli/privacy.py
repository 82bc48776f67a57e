"""`kasane erase` (削除請求: a data subject's keys destroyed in every instance of the deployment,
the audit ledger included, and recorded in each) and `kasane keys record-loss` (a lost key
store recorded by city IT, so the instance may start again); `kasane keys rotate-receiving|
retire-receiving` are kasane.cli.receiving's."""
from __future__ import annotations

import getpass
import io
import sys
from datetime import datetime, timezone
from pathlib import Path

from kasane.cli import receiving
from kasane.config import ConfigurationError
from kasane.deployment import load_deployment

PROFILES_DIR = Path(__file__).resolve().parents[3] / "deploy" / "profiles"


def erase(subject_id: str, reason: str, household: bool, operator: str | None = None,
          deployment=None, out=sys.stdout) -> int:
    from kasane.privacy.erasure import erase_subject
    from kasane.transfer.keys import erase_in_archives

    if not reason.strip():
        raise ConfigurationError("--reason must say why (削除請求の理由)")
    operator = operator or getpass.getuser()
    total = 0
    deployment = deployment if deployment is not None else load_deployment()
    for deployed in deployment:
        if not deployed.settings.sealing:
            continue
        destroyed = erase_subject(deployed.settings, subject_id, reason, operator, household)
        total += destroyed
        out.write(f"{deployed.settings.instance}: {destroyed} key(s) destroyed\n")
    for archive, destroyed in erase_in_archives(deployment[0].settings.database, subject_id, reason, household):
        total += destroyed
        out.write(f"{archive} (the city's archive): {destroyed} key(s) destroyed\n")
    out.write(f"{subject_id}: {total} key(s) destroyed in all; the erasure is recorded in each store\n")
    return 0


def record_loss(instance: str, reason: str, operator: str | None = None, deployment=None,
                out=sys.stdout) -> int:
    from kasane.privacy.erasure import record_key_store_loss

    deployed = next((d for d in (deployment if deployment is not None else load_deployment())
                     if d.settings.instance == instance), None)
    if deployed is None:
        raise ConfigurationError(f"{instance} is not an instance of the deployment")
    record_key_store_loss(deployed.settings, reason, operator or getpass.getuser())
    out.write(f"{instance}: the key store's loss is recorded and a new one made; what was sealed "
              "before reads as 廃棄済み\n")
    return 0


def retention(city: str | None, dry_run: bool, deployment=None, now: datetime | None = None,
              out=sys.stdout) -> int:
    """保存年限: every household past the city's retention period erased everywhere, or listed."""
    from kasane.privacy.retention import due_households

    deployment = deployment if deployment is not None else load_deployment()
    periods = _retention_periods(city)
    ledger = next((d for d in deployment if d.settings.service == "audit"), None)
    if ledger is None:
        raise ConfigurationError("the deployment has no audit ledger: it is what tells which records ended")
    due = due_households(ledger.settings, periods, now or datetime.now(timezone.utc))
    for d in due:
        out.write(f"{d.household_id}: {d.ending} {d.ended_at:%Y-%m-%d}, due {d.due_at:%Y-%m-%d}"
                  f"{' (would be erased)' if dry_run else ''}\n")
        if not dry_run:
            erase(d.household_id, f"保存年限: {d.ending} から {periods[d.ending]} 年", True,
                  operator="kasane retention", deployment=deployment, out=io.StringIO())
    out.write(f"{len(due)} household(s) past their retention period"
              f"{' (dry run: nothing destroyed)' if dry_run else ' erased'}\n")
    return 0


def _retention_periods(city: str | None) -> dict:
    from directory.profile import load_profile

    from kasane.deployment import deployment_city, deployment_file

    city = city or deployment_city(deployment_file())
    if not city:
        raise ConfigurationError("name the city whose profile sets the retention periods (--city CITY)")
    periods = load_profile(PROFILES_DIR / f"{city}.yaml").retention
    if not periods:
        raise ConfigurationError(f"deploy/profiles/{city}.yaml sets no retention periods (retention:)")
    return periods


def add_parsers(commands, sub) -> None:
    erase_parser = sub(commands, "erase", "destroy a data subject's keys everywhere (削除請求)",
                       "Destroy the keys of a person (or, with --household, of a household and the "
                       "persons met in it) in every instance and the audit ledger, and record the "
                       "erasure in each store. Their details then read as 廃棄済み; every event, "
                       "count and chain stays. Idempotent.")
    erase_parser.add_argument("subject_id", help="the person's or household's id (pseudonymous)")
    erase_parser.add_argument("--reason", required=True, help="why (the request's reference)")
    erase_parser.add_argument("--household", action="store_true", help="the id is a household's")
    keys = sub(commands, "keys", "city IT's commands for the key stores (鍵保管庫)")
    verbs = keys.add_subparsers(dest="verb", metavar="VERB", required=True)
    loss = sub(verbs, "record-loss", "record that an instance's key store is lost, so it may start",
               "Make a new, empty key store for the instance and record the loss in its store; "
               "what was sealed before reads as 廃棄済み from then on.")
    loss.add_argument("instance")
    loss.add_argument("--reason", required=True, help="what happened (city IT's record)")
    reseal = sub(verbs, "reseal", "move a store written before sealing into a sealed one (移行)",
                 "Stop the instance first. Its history (with its inbox and relay position) is copied "
                 "into a new store with every plain personal part sealed, proven event by event, bridged "
                 "by a record the instance's key signs (old chain head → new chain head), and put in "
                 "the old store's place; the plain store is dropped. A store that does not verify is "
                 "never moved.")
    reseal.add_argument("instance")
    receiving.add_parsers(verbs, sub)
    kept = sub(commands, "retention", "保存年限: destroy the keys of households past the retention period")
    kept_verbs = kept.add_subparsers(dest="verb", metavar="VERB", required=True)
    run = sub(kept_verbs, "run", "erase every household whose record ended longer ago than the "
              "city profile's retention period (idempotent)")
    run.add_argument("--dry-run", action="store_true", help="list what would be erased, destroy nothing")
    run.add_argument("--city", help="whose profile sets the periods (default: the deployment's city)")


def reseal(instance: str, deployment=None, out=sys.stdout) -> int:
    from kasane.audit.signing import load_key
    from kasane.cli import processes
    from kasane.config import signing_key_file
    from kasane.transfer.reseal import reseal_instance

    deployed = next((d for d in (deployment if deployment is not None else load_deployment())
                     if d.settings.instance == instance), None)
    if deployed is None:
        raise ConfigurationError(f"{instance} is not an instance of the deployment")
    if processes.running_pid(instance) is not None:
        raise ConfigurationError(f"{instance} is running; stop it first (kasane down)")
    moved = reseal_instance(deployed.settings, load_key(signing_key_file(instance)),
                            lambda done, total: out.write(f"\r{instance}: {done:,}/{total:,}"))
    out.write(f"\n{instance}: {moved.new_head.events:,} 件を移行し、うち {moved.plain_rows:,} 件の個人情報を"
              f"封緘しました（旧先頭 {moved.old_head.hash[:16]}… → 新先頭 {moved.new_head.hash[:16]}…、署名済み）。\n")
    return 0


def command(args) -> int:
    if args.command == "erase":
        return erase(args.subject_id, args.reason, args.household)
    if args.command == "retention":
        return retention(args.city, args.dry_run)
    if args.verb == "reseal":
        return reseal(args.instance)
    if args.verb == "rotate-receiving":
        return receiving.rotate(args.instance)
    if args.verb == "retire-receiving":
        return receiving.retire(args.instance, args.force)
    return record_loss(args.instance, args.reason)
