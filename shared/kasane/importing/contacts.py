"""継続相談 — the mapping of a file of further contacts (支援経過記録, a kintone 対応履歴 app) on
consultations imported earlier, sent to the instance's `import_contacts` use case.

    kind: contacts
    name: 支援経過記録（全国様式）
    source_system: case-list-keika        # the contact records' own system (their keys)
    source_id: 経過番号                    # optional: else each row's content is its key
    consultation: {source_system: case-list, column: ケース番号}   # the intake it continues
    defaults: {channel: counter, caseworker_id: 移行}
    fields: {contacted_at: 対応日, channel: 対応方法, caseworker_id: 担当者, note: 対応内容}

The consultation is named by the intakes' own source key (their mapping's `source_system` and
`source_id` column), the key the intake row was imported under.
"""
from __future__ import annotations

from kasane.importing.mapping import REQUIRED, Mapped, Mapping, MappingError, Rule, _text, noter

CONTACT_FIELDS = ("contacted_at", "channel", "caseworker_id", "note")


class ContactMapping(Mapping):
    FIELDS, REQUIRED_FIELD = CONTACT_FIELDS, "contacted_at"
    rpc = "import_contacts"

    def __init__(self, document: dict, agencies=()):
        super().__init__(document, agencies)
        consultation = document.get("consultation")
        if not isinstance(consultation, dict) or not consultation.get("column") or not consultation.get("source_system"):
            raise MappingError("取込定義に consultation: {source_system: 相談の取込元, column: 相談の番号の列} がありません")
        if self.persons or self.consent.rules:
            raise MappingError("継続相談の取込定義に persons・consent は書けません")
        self.consultation = Rule(column=str(consultation["column"]))
        self.consultation_system = str(consultation["source_system"])

    def columns(self) -> set:
        return super().columns() | {str(self.consultation.column)}

    def missing_columns(self, header: list[str]) -> tuple[list[str], list[str]]:
        return self._also_required(super().missing_columns(header), header, str(self.consultation.column))

    def column_of(self, path: tuple, person_slots: list) -> str:
        if path and path[0] == "consultation":
            return str(self.consultation.column)
        return super().column_of(path, person_slots)

    def map_row(self, number: int, values: dict) -> Mapped:
        errors: list = []
        note = noter(number, errors)
        contact = self._fields(values, note)
        self._require(contact, errors, note)
        consultation = _text(values.get(self.consultation.column))
        if not consultation:
            note(self.consultation, REQUIRED)
        command = {"row": number, "consultation_key": f"{self.consultation_system}:{consultation}",
                   "contact": {k: v for k, v in contact.items() if v is not None}}
        command["key"] = self._key(values, command, note)
        return Mapped(number, None if errors else command, errors)
