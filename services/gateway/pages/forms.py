"""入力の確認 — what the pages' forms accept, with each refusal in Japanese next to the field it
is about (GOV.UK style: one question per field, the summary at the top). A refused form comes
back with what was typed; a message never repeats the value."""
from __future__ import annotations

import re
from datetime import date

from kasane.clock import now, JST

ERAS = {"reiwa": ("令和", 2018, date(2019, 5, 1), None),
        "heisei": ("平成", 1988, date(1989, 1, 8), date(2019, 4, 30)),
        "showa": ("昭和", 1925, date(1926, 12, 25), date(1989, 1, 7)),
        "seireki": ("西暦", 0, date(1900, 1, 1), None)}
NAME_MAX, TEXT_MAX = 50, 2000
# Characters no person's name holds, and which only markup or a query would: refused, not escaped away.
NOT_IN_A_NAME = re.compile(r"[<>{}\[\];=\"`\\|]|--")
KANA = re.compile(r"^[\u3041-\u3096\u30a1-\u30fa\u30fc\u3000 ・ー]+$")


class Form:
    """The values typed (kept for the page shown again) and the refusals, field by field."""

    restored = False  # filled in from a draft (gateway.drafts): the page says so

    def __init__(self, values):
        self.values = {k: values.get(k, "") for k in values}
        self.lists = {k: values.getlist(k) for k in values} if hasattr(values, "getlist") else {}
        self.errors: dict[str, str] = {}

    def get(self, field: str) -> str:
        return str(self.values.get(field, "") or "").strip()

    def checked(self, field: str) -> list[str]:
        return self.lists.get(field, [])

    def refuse(self, field: str, message: str) -> None:
        self.errors.setdefault(field, message)

    def required(self, field: str, label: str, max_length: int = NAME_MAX) -> str:
        value = self.get(field)
        if not value:
            self.refuse(field, f"{label}を入力してください")
        elif len(value) > max_length:
            self.refuse(field, f"{label}は{max_length}文字以内で入力してください")
        return value

    def optional_text(self, field: str, label: str, max_length: int = TEXT_MAX) -> str | None:
        value = self.get(field)
        if len(value) > max_length:
            self.refuse(field, f"{label}は{max_length}文字以内で入力してください")
        return value or None

    def choice(self, field: str, label: str, vocabulary: dict, required: bool = True) -> str | None:
        value = self.get(field)
        if not value and not required:
            return None
        if value not in vocabulary:
            self.refuse(field, f"{label}を選んでください")
        return value or None

    def choices(self, field: str, label: str, vocabulary: dict, at_least_one: bool = False) -> list[str]:
        values = self.checked(field)
        if any(v not in vocabulary for v in values):
            self.refuse(field, f"{label}は一覧から選んでください")
        elif at_least_one and not values:
            self.refuse(field, f"{label}を一つ以上選んでください")
        return values

    def name(self, field: str, label: str, required: bool = False) -> str | None:
        value = self.required(field, label) if required else self.optional_text(field, label, NAME_MAX)
        if value and NOT_IN_A_NAME.search(value):
            self.refuse(field, f"{label}に使えない記号（< > ; = \" など）が含まれています")
        return value or None

    def kana(self, field: str, label: str) -> str | None:
        value = self.optional_text(field, label, NAME_MAX)
        if value and not KANA.match(value):
            self.refuse(field, f"{label}はひらがなかカタカナで入力してください")
        return value or None

    def birth_date(self, prefix: str, label: str) -> date | None:
        """和暦（元号・年・月・日）or 西暦: nothing typed is an unknown date, not an error."""
        return self.day(prefix, label, past_only=True)

    def day(self, prefix: str, label: str, required: bool = False, past_only: bool = False) -> date | None:
        """A day typed as 元号・年・月・日 (or 西暦); `past_only` refuses one after today."""
        era, year, month, day = (self.get(f"{prefix}_{p}") for p in ("era", "year", "month", "day"))
        if not (year or month or day):
            if required:
                self.refuse(f"{prefix}_year", f"{label}を入力してください")
            return None
        field = f"{prefix}_year"
        if era not in ERAS or not all(x.isdigit() for x in (year, month, day)):
            self.refuse(field, f"{label}は元号と年・月・日を数字で入力してください")
            return None
        name, offset, first, last = ERAS[era]
        try:
            born = date(int(year) + offset, int(month), int(day))
        except ValueError:
            self.refuse(field, f"{label}は実在する日付を入力してください")
            return None
        if born < first or (last and born > last):
            self.refuse(field, f"{label}の年は{name}の範囲で入力してください")
        elif past_only and born > now().astimezone(JST).date():
            self.refuse(field, f"{label}に未来の日付は入力できません")
        return born

    @property
    def ok(self) -> bool:
        return not self.errors
