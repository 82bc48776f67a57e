"""Deployments side by side on one machine: ports per deployment, `kasane teardown`, the CLI's
own parsers, and `kasane demo` passing again from another checkout's state."""
import secrets
import socket
from pathlib import Path

import pytest
import requests

from kasane.bus.access import user_name
from kasane.bus.admin import BrokerAdmin
from kasane.store.provision import admin_connection

from tests.cli_helpers import deployment_env, kasane

pytestmark = pytest.mark.e2e


def free_ports(count: int) -> int:
    """The first of `count` consecutive free ports, below the ephemeral range clients take."""
    from kasane.cli.operations import port_free
    for _ in range(100):
        base = secrets.randbelow(9000) + 20000
        if all(port_free("127.0.0.1", base + i) for i in range(count)):
            return base
    pytest.fail("no free ports")


def one_desk(tmp_path, name, port=None) -> Path:
    deployment = tmp_path / f"{name}.yaml"
    extra = f", metrics_port: {port}" if port else ""
    deployment.write_text(f"instances:\n  - {{instance: {name}, service: consultation, organisation: org-d{extra}}}\n")
    return deployment


def listening_address(port: int) -> str:
    """The local address a socket listens on for the port (from /proc/net/tcp)."""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, hex_port = local.split(":")
        if int(hex_port, 16) == port and state == "0A":
            return socket.inet_ntoa(bytes.fromhex(address)[::-1])
    return ""


@pytest.fixture
def env_of(platform):
    return lambda deployment, **more: deployment_env(platform, deployment, **more)


def test_a_taken_metrics_port_stops_up_in_one_sentence_naming_it(tmp_path, unique, env_of):
    name = f"ports-taken-{unique}"
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        up = kasane("up", env=env_of(one_desk(tmp_path, name, port)))
    assert up.returncode == 1 and "Traceback" not in up.stderr
    assert up.stderr.strip() == (f"kasane: port {port} on 127.0.0.1 (metrics of {name}) is taken; free it, "
                                 "or move this deployment's ports with KASANE_PORT_OFFSET (e.g. 100)")
    assert "running" not in kasane("status", env=env_of(one_desk(tmp_path, name, port))).stdout


def test_a_port_offset_moves_a_deployment_and_metrics_listen_on_loopback_only(tmp_path, unique, env_of):
    name, base = f"ports-offset-{unique}", free_ports(2)
    port = base + 1
    env = env_of(one_desk(tmp_path, name, base), KASANE_PORT_OFFSET="1")
    try:
        assert kasane("up", env=env).returncode == 0
        assert requests.get(f"http://127.0.0.1:{port}/health", timeout=5).json()["instance"] == name
        assert listening_address(port) == "127.0.0.1"
        status = kasane("status", env=env).stdout
        assert f"{name}: running, pid" in status and "relay at" in status and "checkpoints signed" in status
    finally:
        kasane("down", env=env)


def test_teardown_asks_then_removes_the_deployments_databases_roles_vhost_and_users(platform, tmp_path, unique):
    name, vhost = f"gone-desk-{unique}", f"{platform.broker.vhost}-td{unique}"
    env = {"KASANE_DEPLOYMENT": str(one_desk(tmp_path, name)), "KASANE_AMQP_VHOST": vhost,
           "KASANE_DB_PREFIX": platform.database.prefix}
    admin = BrokerAdmin(platform.broker)
    try:
        assert kasane("up", env=env).returncode == 0
        database = f"{platform.database.prefix}_{name}".replace("-", "_")
        refused = kasane("teardown", env=env, stdin="no\n")
        assert refused.returncode == 1 and "nothing removed" in refused.stderr
        assert vhost in admin.vhosts()
        removed = kasane("teardown", "--yes", env=env)
        assert removed.returncode == 0, removed.stderr
        assert "stopped" in kasane("status", env=env).stdout
        with admin_connection(platform.database) as conn:
            assert not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone()
            assert not conn.execute("SELECT 1 FROM pg_roles WHERE rolname LIKE %s", (database + "%",)).fetchone()
        assert vhost not in admin.vhosts()
        assert not {user_name("org-d", vhost), user_name("city-it-operator", vhost)} & set(admin.users())
    finally:
        kasane("teardown", "--yes", env=env)


@pytest.mark.parametrize("args,refused", [
    (("status", "--json"), "kasane status: unrecognized arguments: --json"),
    (("down", "--replay"), "kasane down: unrecognized arguments: --replay"),
    (("status", "foo", "bar"), "kasane status: unrecognized arguments: foo bar"),
    (("bus", "dead-letters", "x", "--html"), "kasane bus dead-letters: unrecognized arguments: --html"),
    (("import", "f.csv", "--instance", "d", "--mapping", "m", "--html"), "kasane import: unrecognized arguments: --html"),
])
def test_an_argument_a_command_does_not_take_is_refused_in_one_line(args, refused):
    result = kasane(*args, env={})
    assert result.returncode == 2
    assert result.stderr.strip() == f"{refused} (see `{refused.split(':')[0]} --help`)"


@pytest.mark.parametrize("command", [("up",), ("status",), ("teardown",), ("audit", "rotate-key"), ("bus", "unrouted"),
                                     ("import",)])
def test_every_command_has_its_own_help(command):
    result = kasane(*command, "--help", env={})
    assert result.returncode == 0 and result.stdout.startswith(f"usage: kasane {' '.join(command)} ")


def free_offset() -> str:
    """A port offset at which every metrics port of deploy/instances.yaml is free."""
    from kasane.cli.operations import port_free
    from kasane.deployment import DEFAULT_FILE, load_deployment
    for _ in range(100):
        offset = str(secrets.randbelow(9000) + 10000)
        if all(port_free("127.0.0.1", d.settings.metrics_port) for d in
               load_deployment(DEFAULT_FILE, env={"KASANE_PORT_OFFSET": offset}) if d.settings.metrics_port):
            return offset
    pytest.fail("no free port offset")


def ledger_rows(stdout: str) -> list[str]:
    section = stdout.split("--- audit ledger (監査台帳)", 1)[1].split("(この閲覧も台帳に記録されました)", 1)[0]
    return [line.strip() for line in section.splitlines()[1:] if line.strip()]


def test_the_demo_passes_again_from_another_checkouts_state_and_shows_this_runs_referral(platform, tmp_path):
    demo = {"KASANE_DEMO_PREFIX": f"{platform.database.prefix}_demo", "KASANE_DEMO_VHOST": f"{platform.broker.vhost}-demo",
            "KASANE_PORT_OFFSET": free_offset()}
    first_checkout, second_checkout = tmp_path / "first" / "var", tmp_path / "second" / "var"
    try:
        first = kasane("demo", env={**demo, "KASANE_STATE_DIR": str(first_checkout)}, timeout=600)
        assert first.returncode == 0, first.stdout[-2000:] + first.stderr
        # Another checkout (or `make clean`): new signing keys, the same machine's databases.
        second = kasane("demo", env={**demo, "KASANE_STATE_DIR": str(second_checkout)}, timeout=600)
        assert second.returncode == 0, second.stdout[-2000:] + second.stderr
        assert "検証結果: すべて正常" in second.stdout and "signature_invalid" not in second.stdout
        rows = ledger_rows(second.stdout)
        assert sum("多機関協働へつなぎ" in row for row in rows) == 1, rows
        assert rows != ledger_rows(first.stdout)  # this run's rows, not the first run's
    finally:
        kasane("teardown", "--yes", env={"KASANE_DB_PREFIX": demo["KASANE_DEMO_PREFIX"],
                                         "KASANE_AMQP_VHOST": demo["KASANE_DEMO_VHOST"],
                                         "KASANE_STATE_DIR": str(second_checkout / "demo")})
