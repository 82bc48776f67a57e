"""`kasane keys rotate-receiving|retire-receiving INSTANCE` — city IT's commands for an
instance's receiving key (受信鍵, kasane.bus.receiving_keys).

  rotate-receiving   a new key in force, its public half registered with the directory (every
                     sender seals to it from its next relay batch on); the old key is kept so
                     that what was sealed before and still waits in a queue opens
  retire-receiving   the old key destroyed after the grace period; refused while the
                     instance's inbox still holds messages, unless --force
"""
from __future__ import annotations

import sys
import time

from kombu import Connection

from kasane.bus.receiving_keys import RotationRefused, retire_previous_key, rotate_receiving_key
from kasane.config import ConfigurationError, receiving_key_file
from kasane.deployment import DeployedInstance, load_deployment


def deployed_instance(instance: str, deployment) -> DeployedInstance:
    found = next((d for d in (deployment if deployment is not None else load_deployment())
                  if d.settings.instance == instance), None)
    if found is None:
        raise ConfigurationError(f"{instance} is not an instance of the deployment")
    return found


def rotate(instance: str, deployment=None, out=sys.stdout) -> int:
    """鍵の更新: new key, registered; the previous kept until retired."""
    from kasane.cli.directory import register_instances

    deployment = deployment if deployment is not None else load_deployment()
    deployed_instance(instance, deployment)
    try:
        public = rotate_receiving_key(receiving_key_file(instance))
    except RotationRefused as exc:
        raise ConfigurationError(str(exc)) from exc
    out.write(f"{instance}: 新しい受信鍵 {public[:16]}… を使用開始しました。旧鍵は猶予期間中保持します"
              f"（廃棄: kasane keys retire-receiving {instance}）。\n")
    if not any(d.settings.service == "directory" for d in deployment):
        out.write("the deployment runs no directory: senders read the new key from the keys folder\n")
        return 0
    try:
        register_instances(deployment, say=lambda line: out.write(f"{line}\n"))
    except Exception as exc:  # noqa: BLE001 — unreachable, timed out or refused; the old key still
        # opens what senders seal to it meanwhile, so the rotation stands and is registered later
        out.write(f"{instance}: the new key could not be registered with the directory "
                  f"({type(exc).__name__}: {exc}); "
                  "`kasane up` registers it once the directory answers\n")
        return 1
    return 0


def retire(instance: str, force: bool = False, deployment=None, out=sys.stdout) -> int:
    """廃棄: the previous key destroyed once nothing sealed to it waits in the inbox."""
    deployed = deployed_instance(instance, deployment)
    waiting, letters = queue_depth(deployed, "inbox"), queue_depth(deployed, "dlq")
    if waiting and not force:
        raise ConfigurationError(f"{instance}: {waiting} message(s) still wait in inbox.{instance} and may be "
                                 "sealed to the previous key; retire it when they are taken (or --force)")
    rotated_at = retire_previous_key(receiving_key_file(instance))
    if rotated_at is None:
        out.write(f"{instance}: no previous receiving key is kept; nothing to retire\n")
        return 0
    if letters:  # kept sealed: one sealed to the retired key is refused again if sent again (再送)
        out.write(f"{instance}: {letters} dead letter(s) in dlq.{instance} sealed to the retired key "
                  "will not open if sent again\n")
    out.write(f"{instance}: 旧受信鍵（{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(rotated_at))} まで使用）"
              "を廃棄しました。これに封緘されたものは開けません（seal_invalid として記録）。\n")
    return 0


def queue_depth(deployed: DeployedInstance, kind: str = "inbox") -> int:
    """How many messages wait (ready) in the instance's inbox (or dlq); 0 when it has none."""
    with Connection(deployed.settings.broker.amqp_uri, connect_timeout=5) as connection:
        channel = connection.channel()
        try:
            return channel.queue_declare(queue=f"{kind}.{deployed.settings.instance}", passive=True).message_count
        except Exception:  # noqa: BLE001 — no such queue: the instance never consumed
            return 0


def add_parsers(verbs, sub) -> None:
    rotate_parser = sub(verbs, "rotate-receiving", "a new receiving key (受信鍵), registered with the directory",
                        "Make a new receiving key for the instance and register its public half with "
                        "the directory, so that senders seal to it from then on. The old key is kept, "
                        "so what was sealed before and still waits in a queue opens, until "
                        "`kasane keys retire-receiving`.")
    rotate_parser.add_argument("instance")
    retire_parser = sub(verbs, "retire-receiving", "destroy the receiving key kept since the last rotation",
                        "After the grace period: destroy the previous receiving key. Refused while the "
                        "instance's inbox still holds messages (--force to retire anyway); what is still "
                        "sealed to it is then refused as seal_invalid and recorded.")
    retire_parser.add_argument("instance")
    retire_parser.add_argument("--force", action="store_true", help="retire even with messages waiting")
