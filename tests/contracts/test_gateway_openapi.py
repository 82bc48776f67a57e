"""The gateway's OpenAPI 3.1 document describes exactly the routes the gateway serves."""
import re
from pathlib import Path

import yaml

from gateway.service import GatewayService

DOCUMENT = Path(__file__).resolve().parents[2] / "contracts" / "openapi" / "gateway.yaml"


def served_routes() -> set:
    routes = set()
    for name in dir(GatewayService):
        for entrypoint in getattr(getattr(GatewayService, name), "nameko_entrypoints", ()):
            # the JSON API's (not the health RPC, nor the caseworkers' HTML pages, gateway.pages)
            if hasattr(entrypoint, "url") and entrypoint.url.startswith("/api/"):
                routes.add((entrypoint.method, entrypoint.url))
    return {(method.lower(), re.sub(r"<([a-z_]+)>", r"{\1}", path)) for method, path in routes}


def test_the_document_is_openapi_3_1_and_describes_every_route_the_gateway_serves():
    document = yaml.safe_load(DOCUMENT.read_text(encoding="utf-8"))
    assert document["openapi"] == "3.1.0"
    described = {(method, path) for path, item in document["paths"].items() for method in item}
    assert described == served_routes()


def test_every_error_the_document_describes_is_problem_json():
    document = yaml.safe_load(DOCUMENT.read_text(encoding="utf-8"))
    for response in document["components"]["responses"].values():
        assert list(response["content"]) == ["application/problem+json"]
