"""`kasane report fiscal-year R7 --city ise [--html FILE|--csv FILE|--json]` — the city's yearly
progress report (進捗管理) from every instance of the deployment; `kasane report enter R7 --city
ise KPI_ID VALUE [--note TEXT]` — a 手入力 row's actual, recorded as an event by the directory."""
from __future__ import annotations

import getpass
import sys
from pathlib import Path

from kasane.client import rpc_cluster
from kasane.clock import now
from kasane.config import REPO_ROOT, ConfigurationError
from kasane.deployment import load_deployment
from kasane.report.build import build_report
from kasane.report.dates import parse_fiscal_year
from kasane.report.output import to_csv, to_json
from kasane_contracts.vocabulary import BUSINESS_LINES

USAGE = ("usage: kasane report fiscal-year R7 --city CITY [--html FILE|--csv FILE|--json] | "
         "kasane report enter R7 --city CITY KPI_ID VALUE [--note TEXT]")


def report(args, out=sys.stdout) -> int:
    verb, rest = (args.action[0], args.action[1:]) if args.action else (None, [])
    if not args.city or verb not in ("fiscal-year", "enter") or not rest:
        raise ConfigurationError(USAGE)
    try:
        fiscal_year = parse_fiscal_year(rest[0])
    except ValueError as exc:
        raise ConfigurationError(str(exc)) from None
    if verb == "enter":
        if len(rest) != 3:
            raise ConfigurationError(USAGE)
        return enter(args.city, fiscal_year, rest[1], rest[2], args.reader, args.note, out)
    result = fiscal_year_report(args.city, fiscal_year, reader=args.reader)
    return write(result, args, out)


def fiscal_year_report(city: str, fiscal_year: int, deployment=None, reader: str | None = None) -> dict:
    from directory.profile import load_profile, profile_path  # the city's profile, as the directory reads it

    profile = load_profile(profile_path(REPO_ROOT / "deploy" / "profiles", city))
    deployment = deployment or load_deployment()
    directory = _directory(deployment)
    made_at = now()
    # City staff or city IT make the report: named in the call's context, as every tool's caller.
    operator = {"name": reader or getpass.getuser(), "organisation": _city_organisation(deployment)}
    with rpc_cluster(deployment[0].settings.broker, reader=operator) as rpc:
        sources = [{"service": d.settings.service, **rpc[d.settings.instance].report_counts(
                       {"fiscal_year": fiscal_year})}
                   for d in deployment if d.settings.service in BUSINESS_LINES]
        entries = rpc[directory].kpi_actuals({"city": city, "fiscal_year": fiscal_year})["entries"] \
            if directory else []
    return build_report(profile, fiscal_year, sources, entries, made_at)


def _city_organisation(deployment) -> str:
    """The organisation running the directory (the city's), else the first instance's."""
    found = next((d for d in deployment if d.settings.service == "directory"), deployment[0])
    return found.settings.organisation


def enter(city: str, fiscal_year: int, kpi_id: str, value: str, reader: str | None, note: str | None,
          out=sys.stdout) -> int:
    deployment = load_deployment()
    directory = _directory(deployment)
    if directory is None:
        raise ConfigurationError("the deployment has no directory instance (service: directory)")
    organisation = next(d.settings.organisation for d in deployment if d.settings.instance == directory)
    try:
        number = float(value)
    except ValueError:
        raise ConfigurationError(f"実績は数値で入力してください: {value!r}") from None
    command = {"city": city, "fiscal_year": fiscal_year, "kpi_id": kpi_id, "value": number, "note": note}
    entered_by = {"name": reader or getpass.getuser(), "organisation": organisation}
    with rpc_cluster(deployment[0].settings.broker, reader=entered_by) as rpc:
        entry = rpc[directory].enter_kpi_actual(command)
    out.write(f"{kpi_id}: {entry['value']:g} を入力しました（{entry['entered_at']}）\n")
    return 0


def write(result: dict, args, out) -> int:
    if args.csv:
        Path(args.csv).write_bytes(to_csv(result))
    if isinstance(args.html, str):
        from kasane.report.html import to_html
        Path(args.html).write_text(to_html(result), encoding="utf-8")
    if args.json or not (args.csv or isinstance(args.html, str)):
        out.write(to_json(result))
    return 0


def _directory(deployment) -> str | None:
    return next((d.settings.instance for d in deployment if d.settings.service == "directory"), None)
