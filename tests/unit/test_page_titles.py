"""Every page's title block is plain text: a page whose <title> held markup (a whole section
pasted into it once) shows a broken tab and reads badly in a screen reader."""
import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "services" / "gateway" / "templates"
TITLE = re.compile(r"{% block title %}(.*?){% endblock %}", re.S)


def test_every_title_block_is_one_line_of_plain_text():
    titles = {path.name: TITLE.search(path.read_text(encoding="utf-8"))
              for path in sorted(TEMPLATES.glob("*.html"))}
    found = {name: match.group(1) for name, match in titles.items() if match}
    assert len(found) >= 20
    assert {name: text for name, text in found.items() if "<" in text or "\n" in text} == {}
