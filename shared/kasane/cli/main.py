"""`kasane` — the command line of the platform.

  kasane provision   create the vhost, every instance's database and the bus topology
  kasane up          provision, then start every instance of deploy/instances.yaml
  kasane down        stop every instance
  kasane status      which instances run, and their relay and consumer progress
  kasane demo        run one sample household through consultation and collaboration
  kasane audit verify [--json]   check every instance's hash chain and signed checkpoints
  kasane audit history HOUSEHOLD_ID [--as-of DATE] [--json|--html]
                     replay a household across all services from the audit ledger
  kasane bus provision [--profile CITY] | status | dead-letters INSTANCE [--replay]
  kasane org add ORG --instance I [--audit] | rotate-credentials ORG | disable ORG
  kasane directory apply CITY | announce CITY
                     apply a city's profile; publish its whole directory again (再告知)
  kasane staff add|grant|revoke|disable|reset ORG LOGIN [--name N] [--role R] [--totp]
                     staff accounts (職員) of an organisation's gateway
"""
from __future__ import annotations

import argparse
import logging
import sys

from kasane.cli import audit, bus, directory, processes, staff
from kasane.cli.demo import run_demo
from kasane.cli.platform import provision
from kasane.config import ConfigurationError
from kasane.deployment import load_deployment
from kasane.errors import KasaneError


def cmd_provision(args) -> None:
    provision(load_deployment())


def cmd_up(args) -> None:
    deployment = load_deployment()
    provision(deployment)
    # The directory first: the instance registry (with every signing key) is then registered
    # before the others publish, so no copy refuses a new instance's first events.
    first = [d for d in deployment if d.settings.service == "directory"]
    if first:
        _start_missing(first)
        processes.wait_ready(first)
        directory.register_instances(deployment)
    _start_missing([d for d in deployment if d not in first])
    for instance, health in processes.wait_ready(deployment).items():
        print(f"up: {instance} ({health['service']}, {health['organisation']})")
    directory.complete_late_copies(deployment)


def _start_missing(deployment) -> None:
    for deployed in deployment:
        if processes.running_pid(deployed.settings.instance) is None:
            processes.start(deployed)


def cmd_down(args) -> None:
    for deployed in load_deployment():
        if processes.stop(deployed.settings.instance):
            print(f"down: {deployed.settings.instance}")


def cmd_status(args) -> None:
    for deployed in load_deployment():
        pid = processes.running_pid(deployed.settings.instance)
        print(f"{deployed.settings.instance}: {'running, pid ' + str(pid) if pid else 'stopped'}")


def cmd_demo(args) -> None:
    run_demo(load_deployment())


def cmd_audit(args) -> int:
    if args.action == ["verify"]:
        return audit.verify(as_json=args.json)
    if len(args.action) == 2 and args.action[0] == "history":
        fmt = "json" if args.json else "html" if args.html else "text"
        return audit.history(args.action[1], args.as_of, fmt, args.reader)
    raise ConfigurationError("usage: kasane audit verify [--json] | "
                             "kasane audit history HOUSEHOLD_ID [--as-of DATE] [--json|--html]")


def cmd_bus(args) -> int:
    verb = args.action[:1]
    if verb == ["provision"]:
        return bus.provision_bus(args.profile)
    if verb == ["status"]:
        return bus.status()
    if verb == ["dead-letters"] and len(args.action) == 2:
        return bus.dead_letters(args.action[1], replay=args.replay)
    raise ConfigurationError("usage: kasane bus provision [--profile CITY] | status | dead-letters INSTANCE [--replay]")


def cmd_directory(args) -> int:
    return directory.directory(args.action)


def cmd_org(args) -> int:
    return bus.org(args.action, args.instance or [], args.audit)


def cmd_staff(args) -> int:
    return staff.staff(args.action, args.name, args.role or [], args.totp)


COMMANDS = {"provision": cmd_provision, "up": cmd_up, "down": cmd_down, "status": cmd_status,
            "demo": cmd_demo, "audit": cmd_audit, "bus": cmd_bus, "org": cmd_org,
            "directory": cmd_directory, "staff": cmd_staff}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kasane", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=sorted(COMMANDS))
    parser.add_argument("action", nargs="*", help="for audit: verify")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--html", action="store_true", help="audit history as a printable report")
    parser.add_argument("--as-of", help="audit history as known at this date or date-time")
    parser.add_argument("--reader", help="who reads (recorded in the ledger); default: OS user")
    parser.add_argument("--instance", action="append", help="for org add: an instance it runs")
    parser.add_argument("--audit", action="store_true", help="for org add: the city's audit ledger")
    parser.add_argument("--profile", help="for bus provision: the city profile the deployment must match")
    parser.add_argument("--replay", action="store_true", help="for bus dead-letters: publish them again")
    parser.add_argument("--name", help="for staff add: the person's name as staff read it")
    parser.add_argument("--role", action="append", help="for staff: 相談員, 管理者, 監査員 or システム管理")
    parser.add_argument("--totp", action="store_true", help="for staff reset: enrol a new second factor")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="kasane: %(message)s")
    logging.getLogger("amqp").setLevel(logging.ERROR)  # confirm frames racing a channel close
    try:
        return COMMANDS[args.command](args) or 0
    except (KasaneError, ConfigurationError) as exc:
        print(f"kasane: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
