"""The `kasane` command line: one argparse parser per subcommand, each with its own help.

An argument a subcommand does not take is refused in one line (exit status 2), never ignored.
"""
from __future__ import annotations

import argparse
import sys


class Parser(argparse.ArgumentParser):
    """Refuses in one line and points at the subcommand's own help."""

    def error(self, message: str):
        sys.stderr.write(f"{self.prog}: {message} (see `{self.prog} --help`)\n")
        sys.exit(2)


class Kasane(Parser):
    """The top parser: an argument no subcommand took is refused by that subcommand's parser."""

    parsers: dict[str, Parser]  # every subcommand's parser, by name (set in build)

    def parse_args(self, args=None, namespace=None):
        parsed, extra = self.parse_known_args(args, namespace)
        if extra:
            words = ["kasane", parsed.command] + ([parsed.verb] if getattr(parsed, "verb", None) else [])
            self.parsers.get(" ".join(words), self).error(f"unrecognized arguments: {' '.join(extra)}")
        return parsed


def _sub(parent, name: str, help_text: str, description: str | None = None):
    sub = parent.add_parser(name, help=help_text, description=description or help_text)
    PARSERS[sub.prog] = sub
    return sub


PARSERS: dict[str, Parser] = {}


def build(description: str) -> Kasane:
    parser = Kasane(prog="kasane", description=description,
                    formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parsers = PARSERS
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True,
                                     parser_class=Parser)
    _operations(commands)
    for add in (_audit, _bus, _org, _directory, _report, _forms, _staff, _faults, _import, _privacy):
        add(commands)
    return parser


def _operations(commands) -> None:
    _sub(commands, "provision", "create the vhost, every instance's database and the bus topology")
    _sub(commands, "up", "provision, then start every instance of the deployment",
         "Provision, then start every instance of the deployment (KASANE_DEPLOYMENT or "
         "deploy/instances.yaml) as its own process. Metrics ports: the file's, shifted by "
         "KASANE_PORT_OFFSET; a taken port stops it before anything starts.")
    _sub(commands, "down", "stop every instance of the deployment (in parallel)")
    _sub(commands, "status", "which instances run, with their relay and consumer progress",
         "Per instance: running or stopped, and from its /health the relay's position and lag "
         "and the consumer's processed, duplicate and dead-lettered counts.")
    teardown = _sub(commands, "teardown", "remove the deployment's databases, roles, vhost and bus users",
                    "Stop the deployment's instances and remove its databases, roles, RabbitMQ "
                    "vhost and bus users. Asks for confirmation unless --yes.")
    teardown.add_argument("--yes", action="store_true", help="do not ask (for scripts)")
    _sub(commands, "demo", "one sample household from 相談 to 多機関協働, from a clean state",
         "Run one sample household through every service, on the demo's own databases and vhost "
         "(removed and made anew each run), then verify the audit trail.")


def _import(commands) -> None:
    from kasane.cli.importing import describe  # データ移行 (kasane import)
    describe(_sub(commands, "import", "bring a city's existing records into a consultation instance"))


def _privacy(commands) -> None:
    from kasane.cli.privacy import add_parsers  # 削除請求 and lost key stores
    add_parsers(commands, _sub)


def _faults(commands) -> None:
    from kasane.faults.cli import add_parser as add_faults
    add_faults(commands, _sub)


def _directory(commands) -> None:
    directory = _sub(commands, "directory", "the city's directory (市の名簿)")
    verbs = directory.add_subparsers(dest="verb", metavar="VERB", required=True, parser_class=Parser)
    _sub(verbs, "apply", "apply deploy/profiles/CITY.yaml").add_argument("city")
    _sub(verbs, "announce", "publish the city's whole directory again (再告知)").add_argument("city")


def _staff(commands) -> None:
    staff = _sub(commands, "staff", "staff accounts (職員) of an organisation's gateway",
                 "add|grant|revoke|disable|reset ORG LOGIN: the first 管理者 of an organisation is made "
                 "by city IT; a new password (and a TOTP enrolment) is printed once.")
    staff.add_argument("action", nargs="+", metavar="add|grant|revoke|disable|reset ORG LOGIN")
    staff.add_argument("--name", help="for add: the person's name as staff read it")
    staff.add_argument("--role", action="append", help="相談員, 管理者, 監査員 or システム管理")
    staff.add_argument("--totp", action="store_true", help="for reset: enrol a new second factor")


def _report(commands) -> None:
    report = _sub(commands, "report", "the yearly progress report (進捗管理)",
                  "fiscal-year YEAR (R7, 2025, 令和7年度): every KPI row of the city's profile with its "
                  "actual, target, ratio and monthly trend, summed over every instance; "
                  "enter YEAR KPI_ID VALUE: record the actual of a 手入力 row.")
    report.add_argument("action", nargs="+", metavar="fiscal-year YEAR | enter YEAR KPI_ID VALUE")
    report.add_argument("--city", required=True, help="the city whose profile holds the KPI rows")
    _json(report)
    report.add_argument("--html", help="write the printable report (A4, SVG charts) to this file")
    report.add_argument("--csv", help="write the CSV (UTF-8 with BOM, opens in Excel) to this file")
    report.add_argument("--note", help="for enter: a note beside the value")
    _reader(report, "enters", "recorded")


def _forms(commands) -> None:
    forms = _sub(commands, "forms", "帳票 as PDF from the audit ledger (every print recorded as a read)",
                 "HOUSEHOLD_ID --form intake|assessment|plan|progress|evaluation [--as-of DATE], or "
                 "case-list AGENCY (支援ケース一覧).")
    forms.add_argument("action", nargs="+", metavar="HOUSEHOLD_ID | case-list AGENCY")
    forms.add_argument("--form", help="intake|assessment|plan|progress|evaluation")
    _as_of(forms)
    forms.add_argument("--out", help="the PDF file (default: FORM-HOUSEHOLD.pdf)")
    _reader(forms, "prints")


def _audit(commands) -> None:
    audit = _sub(commands, "audit", "tamper evidence and household history (監査)")
    verbs = audit.add_subparsers(dest="verb", metavar="VERB", required=True, parser_class=Parser)
    verify = _sub(verbs, "verify", "check every instance's hash chain and signed checkpoints")
    _json(verify)
    history = _sub(verbs, "history", "replay a household across all services from the audit ledger")
    history.add_argument("household_id")
    _as_of(history)
    _reader(history, "reads")
    form = history.add_mutually_exclusive_group()
    _json(form)
    form.add_argument("--html", action="store_true", help="a printable report (支援経過報告書)")
    store = _sub(verbs, "store-history", "replay a household from one instance's own store or its archive copy",
                 "アーカイブの再生: the household's events as INSTANCE's store holds them, opened with its "
                 "keys (廃棄済み where destroyed); with --archive, the city's archive copy opened with "
                 "ARCHIVE's keys. The read is recorded in the audit ledger.")
    store.add_argument("instance")
    store.add_argument("household_id")
    store.add_argument("--archive", help="the city's archive instance holding the copy's keys")
    _reader(store, "reads")
    _json(store)
    rotate = _sub(verbs, "rotate-key", "replace an instance's signing key as a recorded act",
                  "With the key in force in var/keys, make a new key that the old one signs. When "
                  "the old key is lost, register the key file now there with --reason.")
    rotate.add_argument("instance")
    rotate.add_argument("--reason", help="why the old key cannot sign (city IT's record)")
    rotate.add_argument("--old-key", help="the old private key file, if kept elsewhere")


def _json(parser) -> None:
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def _as_of(parser) -> None:
    parser.add_argument("--as-of", help="as known at this date (JST) or date-time")


def _reader(parser, does: str, recorded: str = "recorded in the ledger") -> None:
    """--reader: the person who reads, prints or enters, recorded with the act (the OS user unless given)."""
    parser.add_argument("--reader", help=f"who {does} ({recorded}); default: OS user")


def _paging(parser) -> None:
    parser.add_argument("--limit", type=int, default=20, help="how many to show (default 20)")
    parser.add_argument("--offset", type=int, default=0, help="skip this many first")


def _bus(commands) -> None:
    bus = _sub(commands, "bus", "city IT's commands for the bus")
    verbs = bus.add_subparsers(dest="verb", metavar="VERB", required=True, parser_class=Parser)
    provision = _sub(verbs, "provision", "vhost, exchanges, queues, a user per organisation")
    provision.add_argument("--profile", help="check the deployment against deploy/profiles/CITY.yaml first")
    _sub(verbs, "status", "inbox depths, consumers, oldest ages, dead letters and kasane.unrouted")
    dead = _sub(verbs, "dead-letters", "why an instance's messages were refused; replay after a fix")
    dead.add_argument("instance")
    dead.add_argument("--replay", action="store_true", help="publish them again")
    _paging(dead)
    unrouted = _sub(verbs, "unrouted", "events no queue was bound for (kasane.unrouted); replay them",
                    "List the events kept in kasane.unrouted; --replay publishes them again to "
                    "kasane.events with their original properties (user_id included) as the "
                    "deployment's city-IT operator, once the missing binding exists.")
    unrouted.add_argument("--replay", action="store_true", help="publish them again")
    _paging(unrouted)


def _org(commands) -> None:
    org = _sub(commands, "org", "admit, rotate or remove an organisation on the bus")
    verbs = org.add_subparsers(dest="verb", metavar="VERB", required=True, parser_class=Parser)
    add = _sub(verbs, "add", "admit an organisation with its instances")
    add.add_argument("organisation")
    add.add_argument("--instance", action="append", required=True, help="an instance it runs")
    add.add_argument("--audit", action="store_true", help="the city's audit ledger")
    _sub(verbs, "rotate-credentials", "a new password; the old one stops at once").add_argument("organisation")
    _sub(verbs, "disable", "remove the organisation from the bus").add_argument("organisation")
    exit_ = _sub(verbs, "offboard", "a contractor's exit: histories to the city's archive, keys destroyed",
                 "返還・廃棄: stop ORG's instances, copy each history whole into the city's archive store, "
                 "prove the copy (same chain head, signed checkpoints), move the data keys under "
                 "ARCHIVE's master key and destroy them at ORG, record it in the 情報管理台帳, remove "
                 "ORG's bus user.")
    exit_.add_argument("organisation")
    exit_.add_argument("--to", dest="archive", required=True, metavar="ARCHIVE",
                       help="the city's instance whose master key holds the archived keys")
    exit_.add_argument("--reader", help="the operator's name recorded with it (default: the login)")
