"""`kasane` — the command line of the platform (`kasane COMMAND --help` for each command).

  kasane provision   create the vhost, every instance's database and the bus topology
  kasane up          provision, then start every instance of deploy/instances.yaml
  kasane down        stop every instance (in parallel)
  kasane status      which instances run, and their relay and consumer progress
  kasane teardown [--yes]
                     remove the deployment's databases, roles, vhost and bus users
  kasane demo        run one sample household through the platform, from a clean state
  kasane audit verify [--json]   check every instance's hash chain and signed checkpoints
  kasane audit history HOUSEHOLD_ID [--as-of DATE] [--json|--html]
                     replay a household across all services from the audit ledger
  kasane audit store-history INSTANCE HOUSEHOLD_ID [--archive ARCHIVE] [--json]
                     a household from one instance's store, or the city's archive copy of it
  kasane audit rotate-key INSTANCE [--reason TEXT] [--old-key PATH]
                     replace an instance's signing key as a recorded act
  kasane bus provision [--profile CITY] | status | dead-letters INSTANCE [--replay]
             | unrouted [--replay]     (lists page: --limit N --offset M)
  kasane org add ORG --instance I [--audit] | rotate-credentials ORG | disable ORG
  kasane org offboard ORG --to ARCHIVE   a contractor's exit: 返還 to the city's archive, 廃棄 of its keys
  kasane directory apply CITY | announce CITY
                     apply a city's profile; publish its whole directory again (再告知)
  kasane report fiscal-year R7 --city CITY [--html FILE|--csv FILE|--json]
                     the yearly progress report (進捗管理) over every instance
  kasane report enter R7 --city CITY KPI_ID VALUE [--note TEXT]   a 手入力 row's actual
  kasane forms HOUSEHOLD_ID --form intake|assessment|plan|progress|evaluation [--as-of DATE] [--out FILE]
  kasane forms case-list AGENCY [--out FILE]   帳票 as PDF from the audit ledger
  kasane staff add|grant|revoke|disable|reset ORG LOGIN [--name N] [--role R] [--totp]
                     staff accounts (職員) of an organisation's gateway
  kasane faults run --seed N [--minutes M]   a fault campaign with its checker (故障試験)
  kasane import FILE --instance INSTANCE --mapping MAPPING.yaml [--dry-run]
                     データ移行: CSV (UTF-8, Shift_JIS) or .xlsx records into a consultation instance
  kasane erase SUBJECT_ID --reason TEXT [--household]   削除請求: a person's keys destroyed everywhere
  kasane keys record-loss INSTANCE --reason TEXT     record a lost key store (鍵保管庫の喪失)
  kasane keys reseal INSTANCE   移行: a store written before sealing moved into a sealed one
  kasane keys rotate-receiving INSTANCE   a new receiving key (受信鍵), registered with the directory
  kasane keys retire-receiving INSTANCE [--force]   destroy the receiving key kept since the rotation
  kasane retention run [--dry-run] [--city CITY]     保存年限: erase households past the profile's period

Ports: each instance's metrics port comes from the deployment file, shifted by
KASANE_PORT_OFFSET (or KASANE_METRICS_PORT for the first, the others following); metrics
listen on 127.0.0.1 unless KASANE_METRICS_HOST says otherwise.
"""
from __future__ import annotations

import logging
import sys

from kasane.cli import audit, bus, directory, importing, operations, parser, privacy, report, staff
from kasane.cli.demo import run_demo
from kasane.cli.platform import provision
from kasane.config import ConfigurationError
from kasane.deployment import load_deployment
from kasane.errors import KasaneError


def cmd_teardown(args) -> int:
    deployment = load_deployment()
    if not args.yes and not operations.confirmed(deployment):
        print("kasane teardown: not confirmed; nothing removed (--yes for scripts)", file=sys.stderr)
        return 1
    operations.teardown(deployment)
    return 0


def cmd_audit(args) -> int:
    if args.verb == "verify":
        return audit.verify(as_json=args.json)
    if args.verb == "rotate-key":
        return audit.rotate(args.instance, args.reason, args.old_key)
    if args.verb == "store-history":
        from kasane.cli.archive import store_history
        return store_history(args.instance, args.household_id, args.archive, args.reader, args.json)
    fmt = "json" if args.json else "html" if args.html else "text"
    return audit.history(args.household_id, args.as_of, fmt, args.reader)


def cmd_bus(args) -> int:
    if args.verb == "provision":
        return bus.provision_bus(args.profile)
    if args.verb == "status":
        return bus.status()
    if args.verb == "dead-letters":
        return bus.dead_letters(args.instance, args.replay, args.limit, args.offset)
    return bus.unrouted(args.replay, args.limit, args.offset)


def cmd_org(args) -> int:
    if args.verb == "offboard":
        from kasane.cli.offboarding import offboard
        return offboard(args.organisation, args.archive, args.reader)
    return bus.org([args.verb, args.organisation], getattr(args, "instance", None) or [],
                   getattr(args, "audit", False))


def cmd_forms(args) -> int:
    from kasane.cli import forms  # WeasyPrint is loaded only for printing
    return forms.forms(args)


COMMANDS = {
    "provision": lambda args: provision(load_deployment()),
    "up": lambda args: operations.up(load_deployment()),
    "down": lambda args: operations.down(load_deployment()),
    "status": lambda args: operations.status(load_deployment()),
    "teardown": cmd_teardown,
    "demo": lambda args: run_demo(),
    "audit": cmd_audit, "bus": cmd_bus, "org": cmd_org,
    "directory": lambda args: directory.directory([args.verb, args.city]),
    "report": lambda args: report.report(args),
    "forms": cmd_forms,
    "staff": lambda args: staff.staff(args.action, args.name, args.role or [], args.totp),
    "faults": lambda args: __import__("kasane.faults.cli", fromlist=["command"]).command(args),
    "import": lambda args: importing.import_file(args),
    "erase": privacy.command, "keys": privacy.command, "retention": privacy.command,
}


def main(argv: list[str] | None = None) -> int:
    args = parser.build(__doc__).parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="kasane: %(message)s")
    logging.getLogger("amqp").setLevel(logging.ERROR)  # confirm frames racing a channel close
    try:
        return COMMANDS[args.command](args) or 0
    except (KasaneError, ConfigurationError) as exc:
        print(f"kasane: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
