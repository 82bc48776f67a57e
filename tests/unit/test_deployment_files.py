"""docker-compose.yml stays consistent with deploy/instances.yaml and with kasane.config."""
import re
from pathlib import Path

import yaml

from kasane.deployment import load_deployment

ROOT = Path(__file__).resolve().parents[2]


def compose_services() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))["services"]


def test_every_deployed_instance_is_a_compose_service_with_the_same_identity():
    services = compose_services()
    for deployed in load_deployment(env={}):
        s = deployed.settings
        environment = services[s.instance]["environment"]
        assert (environment["KASANE_SERVICE"], environment["KASANE_INSTANCE"],
                environment["KASANE_ORGANISATION"]) == (s.service, s.instance, s.organisation)


def test_compose_sets_only_settings_that_kasane_reads():
    sources = [*(ROOT / "shared").rglob("*.py"), *(ROOT / "services").rglob("*.py")]
    read = {name for path in sources for name in re.findall(r'"(KASANE_[A-Z_]+)"', path.read_text())}
    for name, service in compose_services().items():
        for variable in (service.get("environment") or {}):
            if variable.startswith("KASANE_"):
                assert variable in read, f"{name} sets {variable}, which kasane.config does not read"


def test_compose_gives_each_consultation_desk_the_agencies_of_the_deployment():
    import json
    services = compose_services()
    for deployed in load_deployment(env={}):
        if deployed.settings.service == "consultation":
            given = json.loads(services[deployed.settings.instance]["environment"]["KASANE_AGENCIES"])
            assert given == [dict(a) for a in deployed.agencies]
