"""`kasane org offboard ORG --to ARCHIVE [--reader NAME]` — a contractor's exit (返還・廃棄).

Each instance ORG runs in the deployment is stopped (it signs its head on the way out), closed to
writers, copied whole into the city's archive store and proven there (same chain head, its signed
checkpoints verified); only then are its data keys moved under ARCHIVE's master key and destroyed
at the contractor. The exit is recorded with the directory (情報管理台帳, reaching the audit
ledger as directory.contractor_exit_recorded) and ORG's bus user is removed. Run again after an
interruption, it resumes the copy where it stopped; keys already destroyed count no more.
"""
from __future__ import annotations

import getpass
import sys

from kasane.audit.verify import registered_public_key
from kasane.bus.organisations import disable
from kasane.cli import processes
from kasane.client import rpc_cluster
from kasane.config import ConfigurationError
from kasane.deployment import DeployedInstance, load_deployment
from kasane.transfer.exit import InstanceExit, offboard_instance
from kasane.transfer.keys import key_mover


def offboard(organisation: str, archive: str, reader: str | None = None, out=sys.stdout,
             deployment: list[DeployedInstance] | None = None) -> int:
    deployment = deployment if deployment is not None else load_deployment()
    leaving, archive_instance, directory = _parties(deployment, organisation, archive)
    for deployed in leaving:
        processes.stop(deployed.settings.instance)
    move = key_mover(archive_instance.settings)
    exits = [_one(deployed, move, out) for deployed in leaving]
    operator = {"name": reader or getpass.getuser(), "organisation": directory.settings.organisation}
    with rpc_cluster(directory.settings.broker, reader=operator) as rpc:
        rpc[directory.settings.instance].record_contractor_exit({
            "organisation_id": organisation, "archive": archive,
            "instances": [e.as_dict() for e in exits]})
    disable(directory.settings.broker, organisation)
    out.write(f"返還・廃棄: {organisation} の {len(exits)} インスタンスを {archive} へ移し、"
              "情報管理台帳に記録しました。バスの利用者を削除しました。"
              "配置ファイル (deploy/instances.yaml) からこれらのインスタンスを外してください。\n")
    return 0


def _parties(deployment, organisation: str, archive: str):
    leaving = [d for d in deployment if d.settings.organisation == organisation]
    if not leaving:
        raise ConfigurationError(f"{organisation} runs no instance of this deployment")
    archive_instance = next((d for d in deployment if d.settings.instance == archive), None)
    if archive_instance is None or archive_instance.settings.organisation == organisation:
        raise ConfigurationError(f"--to {archive}: name an instance of the city's in this deployment "
                                 f"(not one of {organisation}'s)")
    directory = next((d for d in deployment if d.settings.service == "directory"), None)
    if directory is None:
        raise ConfigurationError("the deployment has no directory instance (service: directory) "
                                 "to keep the 情報管理台帳")
    return leaving, archive_instance, directory


def _one(deployed: DeployedInstance, move, out) -> InstanceExit:
    instance = deployed.settings.instance

    def progress(done: int, total: int) -> None:
        out.write(f"\r{instance}: {done:,}/{total:,} 件を複写" + ("\n" if done >= total else ""))
        out.flush()

    done = offboard_instance(deployed.settings, registered_public_key(instance), move, progress)
    out.write(f"{instance}: 複写を検証しました（{done.head.events:,} 件、先頭 {done.head.position}、"
              f"署名 {done.checkpoints} 件）。鍵 {done.keys_moved} 本を移し、{done.keys_destroyed} 本を廃棄しました。\n")
    return done
