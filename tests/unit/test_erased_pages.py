"""廃棄済み on the caseworkers' pages: a person whose key was destroyed (削除請求, 保存年限) reads as
a placeholder in the shape the person had; the household page shows 廃棄済み where the name was
and the other members as before (the templates are strict: a missing key would be an error)."""
from types import SimpleNamespace

from gateway.pages.forms import Form
from gateway.pages.render import environment

from kasane.privacy.sealing import ERASED, erased_person

SESSION = SimpleNamespace(csrf_token="t", login="sw-01", organisation="org-desk", roles=["相談員"], name="相談 一郎")
PERSON_SHAPE = {"d": {"name": "s", "kana": "s", "birth_date": "t", "relation": "s", "area": None}}


def test_the_household_page_shows_an_erased_member_as_erased_and_the_others_as_they_were():
    members = {"household_id": "h-1", "consents": [], "persons": [
        erased_person("p-1", PERSON_SHAPE),
        {"person_id": "p-2", "name": "見本 一郎", "kana": "ミホン イチロウ", "birth_date": "1973-11-03",
         "relation": "child", "area": None}]}
    page = environment.get_template("household.html").render(
        session=SESSION, members=members, entries=[], consultations=[], participation=True, form=Form({}), errors={})
    rows = page.split("<tr")
    erased_row = next(r for r in rows if 'value="p-1"' in r)
    assert ERASED in erased_row and "年" not in erased_row.split("<form")[0]  # no date shown for it
    assert "見本 一郎" in page and "昭和48年" in page
