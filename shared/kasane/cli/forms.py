"""`kasane forms HOUSEHOLD_ID --form intake|assessment|plan|progress|evaluation [--as-of DATE]
[--out FILE]` — a household's form as PDF from the audit ledger's events as known on a date;
`kasane forms case-list AGENCY [--out FILE]` — the agency's 支援ケース一覧. Every print is
recorded in the ledger as a read (閲覧記録) under the reader and their organisation
(--reader, KASANE_READER_ORGANISATION; by default the OS user and the ledger's organisation)."""
from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path
from uuid import UUID

from kasane.cli.audit import _as_of, organisation_names
from kasane.client import rpc_cluster
from kasane.clock import utc_iso
from kasane.config import ConfigurationError
from kasane.deployment import load_deployment
from kasane.forms.sheets import SHEETS

USAGE = ("usage: kasane forms HOUSEHOLD_ID --form intake|assessment|plan|progress|evaluation "
         "[--as-of DATE] [--out FILE] | kasane forms case-list AGENCY [--out FILE]")


def forms(args, out=sys.stderr) -> int:
    deployment = load_deployment()
    ledger = next((d for d in deployment if d.settings.service == "audit"), None)
    if ledger is None:
        raise ConfigurationError("the deployment has no audit ledger instance (service: audit)")
    reader = {"name": args.reader or getpass.getuser(),
              "organisation": os.environ.get("KASANE_READER_ORGANISATION", ledger.settings.organisation)}
    if args.action[:1] == ["case-list"] and len(args.action) == 2:
        return case_list(deployment, ledger, args.action[1], reader, args.out, out)
    if len(args.action) != 1 or args.form not in SHEETS:
        raise ConfigurationError(USAGE)
    return household_form(ledger, args.action[0], args.form, args.as_of, reader, args.out, out)


def household_form(ledger, household_id: str, form: str, as_of: str | None, reader: dict,
                   path: str | None, out) -> int:
    from kasane.forms.render import form_pdf

    try:
        UUID(household_id)
    except ValueError:
        raise ConfigurationError("世帯IDの形式が正しくありません（UUID）") from None
    query = {"household_id": household_id, "purpose": f"帳票出力（{form}）"}
    if as_of:
        query["as_of"] = _as_of(as_of)
    with rpc_cluster(ledger.settings.broker, reader=reader) as rpc:  # the reader, in the context
        history = rpc[ledger.settings.instance].household_entries(query)
    if not history["entries"]:
        out.write(f"世帯 {household_id} の記録は監査台帳にありません（世帯IDと日付を確かめてください）。\n")
        return 1
    target = Path(path or f"{form}-{household_id}.pdf")
    target.write_bytes(form_pdf(form, history, reader, organisation_names()))
    out.write(f"{target} を作成しました（閲覧記録に記録済み）\n")
    return 0


def case_list(deployment, ledger, agency_id: str, reader: dict, path: str | None, out) -> int:
    from kasane.forms.case_list import case_list_html, collaboration_rows, consultation_rows
    from kasane.forms.render import to_pdf

    found = next(((d, a) for d in deployment for a in d.agencies if a["agency_id"] == agency_id), None)
    if found is None:
        raise ConfigurationError(f"機関 {agency_id} を運営するインスタンスがデプロイメントにありません")
    instance, agency = found
    with rpc_cluster(ledger.settings.broker, reader=reader) as rpc:
        if instance.settings.service == "collaboration":
            rows = collaboration_rows(rpc[instance.settings.instance].open_cases({}))
        else:
            rows = consultation_rows(rpc[instance.settings.instance].open_consultations(agency_id))
        rpc[ledger.settings.instance].record_printed({
            "household_ids": sorted({r["household_id"] for r in rows}),
            "purpose": "帳票出力（支援ケース一覧）"})
    target = Path(path or f"case-list-{agency_id}.pdf")
    target.write_bytes(to_pdf(case_list_html(agency, rows, reader, utc_iso())))
    out.write(f"{target} を作成しました（{len(rows)}件、閲覧記録に記録済み）\n")
    return 0
