"""`kasane up` starts an organisation's gateway like any instance; `kasane staff add` gives it its
first account; the person signs in over HTTP and takes an intake at the desk behind it."""

import pytest
import requests

from tests.cli_helpers import deployment_env, kasane
from tests.samples import make_intake
from tests.gateway_helpers import free_port

pytestmark = pytest.mark.e2e


def test_kasane_up_starts_the_gateway_and_a_person_added_by_city_it_signs_in(platform, unique, tmp_path):
    port, org = free_port(), f"org-up-{unique}"
    deployment = tmp_path / "instances.yaml"
    deployment.write_text(f"""
instances:
  - {{instance: up-desk-{unique}, service: consultation, organisation: {org},
      agencies: [{{agency_id: tokiwadaira-hokatsu, name: 常盤平高齢者いきいき安心センター}}]}}
  - {{instance: up-gate-{unique}, service: gateway, organisation: {org}, http_port: {port}}}
""", encoding="utf-8")
    env = deployment_env(platform, deployment)
    try:
        up = kasane("up", env=env)
        assert up.returncode == 0, up.stderr
        assert f"up: up-gate-{unique} (gateway, {org})" in up.stdout
        added = kasane("staff", "add", org, "sw-1", "--name", "窓口 花子", "--role", "相談員",
                       env={**env, "KASANE_STAFF_PASSWORD": "a long enough password"})
        assert added.returncode == 0 and "roles=相談員" in added.stdout, added.stderr
        browser = requests.Session()
        signed_in = browser.post(f"http://127.0.0.1:{port}/api/session", timeout=10,
                                 json={"login": "sw-1", "password": "a long enough password"})
        assert signed_in.status_code == 201, signed_in.text
        taken = browser.post(f"http://127.0.0.1:{port}/api/intakes", json=make_intake(), timeout=30,
                             headers={"X-CSRF-Token": signed_in.json()["csrf_token"]})
        assert taken.status_code == 201, taken.text
    finally:
        assert kasane("down", env=env).returncode == 0
