"""Administration of the broker for city IT and for test runs (バス管理).

Uses RabbitMQ's management HTTP API; on a machine where the plugin is off and
`rabbitmq-plugins` is at hand (a developer machine, CI), it is switched on first.
"""
from __future__ import annotations

import shutil
import subprocess
import time
from urllib.parse import quote

import requests
from kombu import Connection

from kasane.config import BrokerSettings
from kasane.errors import InfrastructureUnavailable


def check_amqp(broker: BrokerSettings, vhost: str = "/") -> None:
    uri = f"amqp://{broker.user}:{broker.password}@{broker.host}:{broker.port}/{quote(vhost, safe='')}"
    try:
        with Connection(uri, connect_timeout=3) as connection:
            connection.ensure_connection(max_retries=1)
    except Exception as exc:  # noqa: BLE001 — any failure here means "not reachable"
        raise InfrastructureUnavailable(
            f"RabbitMQ is not reachable at {broker.host}:{broker.port}; "
            "start it with `rabbitmq-server -detached`"
        ) from exc


class BrokerAdmin:
    """Acts with the broker settings' own user, which must carry the administrator tag."""

    def __init__(self, broker: BrokerSettings):
        self.base = broker.management_url.rstrip("/") + "/api"
        self.auth = (broker.user, broker.password)

    def _call(self, method: str, path: str, **kwargs) -> requests.Response:
        response = requests.request(method, self.base + path, auth=self.auth, timeout=10, **kwargs)
        if response.status_code >= 400 and not (method == "DELETE" and response.status_code == 404):
            raise InfrastructureUnavailable(
                f"RabbitMQ management refused {method} {path.split('/')[1]}: HTTP {response.status_code}")
        return response

    def ensure_management(self, wait_seconds: float = 60) -> None:
        if self._reachable():
            return
        if shutil.which("rabbitmq-plugins"):
            subprocess.run(["rabbitmq-plugins", "enable", "rabbitmq_management"],
                           check=False, capture_output=True, timeout=120)
        deadline = time.monotonic() + wait_seconds
        while time.monotonic() < deadline:
            if self._reachable():
                return
            time.sleep(0.5)
        raise InfrastructureUnavailable(
            "RabbitMQ's management API is off; enable it with "
            "`rabbitmq-plugins enable rabbitmq_management`")

    def _reachable(self) -> bool:
        try:
            return requests.get(self.base + "/overview", auth=self.auth, timeout=3).ok
        except requests.RequestException:
            return False

    def ensure_vhost(self, vhost: str, users: tuple[str, ...]) -> None:
        self._call("PUT", f"/vhosts/{quote(vhost, safe='')}")
        for user in users:
            self._call("PUT", f"/permissions/{quote(vhost, safe='')}/{quote(user, safe='')}",
                       json={"configure": ".*", "write": ".*", "read": ".*"})

    def delete_vhost(self, vhost: str) -> None:
        self._call("DELETE", f"/vhosts/{quote(vhost, safe='')}")

    def vhosts(self) -> list[str]:
        return [v["name"] for v in self._call("GET", "/vhosts").json()]

    def queues(self, vhost: str) -> list[dict]:
        return self._call("GET", f"/queues/{quote(vhost, safe='')}").json()

    # -- organisations' users (city IT) ------------------------------------------------------

    def put_user(self, user: str, password: str, tags: str = "") -> None:
        self._call("PUT", f"/users/{quote(user, safe='')}", json={"password": password, "tags": tags})

    def delete_user(self, user: str) -> None:
        self._call("DELETE", f"/users/{quote(user, safe='')}")

    def users(self) -> list[str]:
        return [u["name"] for u in self._call("GET", "/users").json()]

    def grant(self, vhost: str, user: str, permissions: dict, topic_permissions: list[dict]) -> None:
        v, u = quote(vhost, safe=""), quote(user, safe="")
        self._call("PUT", f"/permissions/{v}/{u}", json=permissions)
        for topic in topic_permissions:
            self._call("PUT", f"/topic-permissions/{v}/{u}", json=topic)

    def connections(self) -> list[dict]:
        return self._call("GET", "/connections").json()

    def close_connections(self, user: str) -> int:
        """Cut every open connection of the user (after a rotation or a disable). The list comes
        from the broker's statistics, so a connection opened in the last seconds may be missed."""
        closed = 0
        for connection in self.connections():
            if connection.get("user") == user:
                self._call("DELETE", f"/connections/{quote(connection['name'], safe='')}",
                           headers={"X-Reason": "kasane: credentials rotated or organisation disabled"})
                closed += 1
        return closed

    def queue_messages(self, vhost: str, queue: str, count: int, requeue: bool = True) -> list[dict]:
        return self._call("POST", f"/queues/{quote(vhost, safe='')}/{quote(queue, safe='')}/get",
                          json={"count": count, "ackmode": "ack_requeue_true" if requeue else "ack_requeue_false",
                                "encoding": "auto"}).json()
