"""世帯員名簿 — the mapping of a separate sheet of households and their members (one member a
row), sent to the instance's `import_households` use case.

    kind: households
    name: 世帯員名簿（全国様式）
    source_system: case-list        # the case list's: its 世帯番号 names the same household
    household: 世帯番号
    defaults: {caseworker_id: 移行}
    fields: {agency: 受付機関, caseworker_id: 担当者}
    persons:
      - {relation: 続柄, name: 氏名, kana: ふりがな, birth_date: 生年月日, area: 圏域}

A member joins the household the intakes' rows of the same number join, whichever file comes
first. A row is keyed by its content; a member the household knows already is not added twice.
"""
from __future__ import annotations

from kasane.importing.mapping import REQUIRED, Mapped, Mapping, MappingError, Rule, _text, noter

HOUSEHOLD_FIELDS = ("agency", "caseworker_id")
NO_MEMBER = "世帯員の氏名・ふりがな・生年月日のいずれもありません"


class HouseholdMapping(Mapping):
    FIELDS, REQUIRED_FIELD = HOUSEHOLD_FIELDS, None
    rpc = "import_households"

    def __init__(self, document: dict, agencies=()):
        super().__init__(document, agencies)
        if not self.household or len(self.persons) != 1 or self.consent.rules:
            raise MappingError("世帯の取込定義には household（世帯番号の列）と persons を1人分だけ書いてください")
        self.source_id = None  # a member row is keyed by its content

    def missing_columns(self, header: list[str]) -> tuple[list[str], list[str]]:
        return self._also_required(super().missing_columns(header), header, str(self.household))

    def column_of(self, path: tuple, person_slots: list) -> str:
        if path and path[0] == "person":
            return super().column_of(("persons", 0, *path[1:]), [0])
        return super().column_of(path, person_slots)

    def map_row(self, number: int, values: dict) -> Mapped:
        errors: list = []
        note = noter(number, errors)
        mapped = self._fields(values, note)
        persons, _ = self._persons(values, note)
        household = _text(values.get(self.household))
        if not household:
            note(Rule(column=self.household), REQUIRED)
        if not persons and not errors:
            note(self.persons[0].get("name") or Rule(), NO_MEMBER)
        if not mapped.get("caseworker_id"):
            note(self.fields.get("caseworker_id") or Rule(), REQUIRED)
        command = {"row": number, "household_key": f"{self.source_system}:{household}",
                   "person": persons[0] if persons else {}, "caseworker_id": mapped.get("caseworker_id"),
                   "agency": self._agency(mapped.get("agency"), note)}
        command["key"] = self._key(values, command, note)
        return Mapped(number, None if errors else command, errors)
