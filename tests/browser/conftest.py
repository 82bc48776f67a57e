"""The browser and the page every test module of this folder drives: a module's own `world`
fixture names the gateway (`world["gateway"]`) the page opens on."""
import pytest

from tests.browser_helpers import chromium, new_page
from tests.gateway_helpers import url


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(world, browser):
    page = new_page(browser, url(world["gateway"]))
    yield page
    page.context.close()
