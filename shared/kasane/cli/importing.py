"""`kasane import FILE --instance INSTANCE --mapping MAPPING.yaml [--dry-run] [--operator NAME]`
— データ移行: a city's existing records into a consultation instance (kasane.importing)."""
from __future__ import annotations

import getpass
import sys
from pathlib import Path

from kasane.config import ConfigurationError
from kasane.deployment import load_deployment
from kasane.importing.mapping import Mapping, MappingError
from kasane.importing.run import run_import
from kasane.importing.sources import UnreadableFile


def describe(parser) -> None:
    parser.add_argument("file", help="CSV (UTF-8 or Shift_JIS/CP932) or .xlsx")
    parser.add_argument("--instance", required=True, help="the consultation instance to import into")
    parser.add_argument("--mapping", required=True, help="the mapping file (deploy/import/*.yaml)")
    parser.add_argument("--dry-run", action="store_true",
                        help="check every row and report the refused ones; store nothing")
    parser.add_argument("--operator", help="who imports (city IT's name; default: the login name)")


def import_file(args, out=sys.stdout) -> int:
    deployment = load_deployment()
    target = next((d for d in deployment if d.settings.instance == args.instance), None)
    if target is None or target.settings.service != "consultation":
        raise ConfigurationError(f"{args.instance} is no consultation instance of the deployment")
    try:
        mapping = Mapping.load(Path(args.mapping), agencies=target.agencies)
        # City IT imports: named in the call's context, as every tool's caller is.
        operator = {"name": args.operator or getpass.getuser(),
                    "organisation": target.settings.organisation}
        return run_import(Path(args.file), instance=args.instance, mapping=mapping,
                          broker=target.settings.broker, operator=operator,
                          dry_run=args.dry_run, out=out)
    except (MappingError, UnreadableFile, OSError) as exc:
        raise ConfigurationError(str(exc)) from None
    except KeyboardInterrupt:
        # Every batch answered is noted (kasane.importing.state): the same command resumes.
        out.write("\n中断しました。同じコマンドで、記録済みの行の後から再開します。\n")
        return 130
