"""`kasane audit store-history INSTANCE HOUSEHOLD_ID [--archive ARCHIVE] [--json] [--reader NAME]`
— a household's events as one instance's own store holds them (アーカイブの再生). With --archive,
the city's archive copy of that instance, opened with ARCHIVE's keys (after a contractor's exit);
without, the instance's store with its own keys (廃棄済み where they were destroyed). The read is
recorded in the audit ledger (閲覧記録) with the reader."""
from __future__ import annotations

import getpass
import json
import sys

from kasane.client import rpc_cluster
from kasane.config import ConfigurationError
from kasane.deployment import load_deployment
from kasane.transfer.archive_copy import archive_settings
from kasane.transfer.keys import archive_key_store
from kasane.transfer.replay import household_story
from kasane.privacy.provision import open_key_store


def store_history(instance: str, household_id: str, archive: str | None, reader: str | None,
                  as_json: bool, out=sys.stdout, deployment=None) -> int:
    deployment = deployment if deployment is not None else load_deployment()
    found = next((d for d in deployment if d.settings.instance == instance), None)
    if found is None:
        raise ConfigurationError(f"{instance} is not an instance of this deployment")
    settings = archive_settings(found.settings) if archive else found.settings
    keys = archive_key_store(settings, archive) if archive else open_key_store(settings)
    try:
        story = household_story(settings, keys, household_id)
    finally:
        keys.close()
    _record_read(deployment, household_id, instance, archive, reader)
    if as_json:
        json.dump(story, out, ensure_ascii=False, indent=2, default=str)
        out.write("\n")
    else:
        for entry in story:
            out.write(f"{entry['position']:>8}  {entry['at']}  {entry['kind']}  {_shown(entry['personal'])}\n")
    return 0


def _shown(personal) -> str:
    """The personal part as recorded; destroyed details read 廃棄済み in their places."""
    return json.dumps(personal, ensure_ascii=False, default=str) if personal else ""


def _record_read(deployment, household_id: str, instance: str, archive: str | None, reader: str | None) -> None:
    """閲覧記録 in the ledger: who replayed which household from which store."""
    ledger = next((d for d in deployment if d.settings.service == "audit"), None)
    if ledger is None:
        raise ConfigurationError("the deployment has no audit ledger to record the read (閲覧記録)")
    person = {"name": reader or getpass.getuser(), "organisation": ledger.settings.organisation}
    purpose = f"アーカイブの再生 ({instance}{' / ' + archive if archive else ''})"
    with rpc_cluster(ledger.settings.broker, reader=person) as rpc:
        rpc[ledger.settings.instance].record_printed({"household_ids": [household_id], "purpose": purpose})
