"""本人同意 on an intake row — the mapping's `consent:` part: which columns say who consented, to
which organisations, for which purposes, how, when, and when it was withdrawn (同意の撤回).

    consent:
      person: 0                    # which persons[] entry consented (default the first, 本人)
      given_at: 同意日              # empty: the 受付日 (the intake sheet's own consent box)
      given_by: {column: 同意者, codes: {本人: self, 代理人: representative}, value: self}
      representative: 代理人氏名
      method: {column: 同意方法, value: written}
      organisations: {column: 同意先機関, codes: {市社会福祉協議会: org-shakyo}}
      purposes: {column: 同意の範囲}
      withdrawn_at: 同意撤回日

A row has a consent when any of these columns holds a value (a `value:` alone is a default, it
makes no consent); what the columns say is then checked by the service as a caseworker's
consent is. Organisations are the city directory's ids, or names through `codes`.
"""
from __future__ import annotations

CONSENT_FIELDS = ("given_at", "given_by", "representative", "method", "organisations", "purposes",
                  "withdrawn_at", "caseworker_id")
NO_PERSON = "同意した人がこの行の世帯員にいません（consent.person）"


class ConsentColumns:
    def __init__(self, spec: dict | None, rule_of):
        spec = dict(spec or {})
        self.person = int(spec.pop("person", 0) or 0)
        self.unknown = {f"consent.{k}" for k in spec if k not in CONSENT_FIELDS}
        self.rules = {k: rule_of(f"consent.{k}", v) for k, v in spec.items() if k in CONSENT_FIELDS}
        self._read = [r.column for r in self.rules.values() if r.column]  # a row's consent is in these

    def columns(self) -> set:
        return {r.column for r in self.rules.values() if r.column}

    def column_of(self, path: tuple) -> str:
        rule = self.rules.get(path[1]) if len(path) > 1 else None
        return rule.column if rule and rule.column else ".".join(map(str, path))

    def of(self, mapping, values: dict, note, slots: list) -> dict | None:
        """The row's consent as the service's import takes it, or None when the row has none."""
        if not any(filled(values.get(column)) for column in self._read):
            return None
        consent = {k: mapping._value(k, rule, values, note) for k, rule in self.rules.items()}
        if self.person not in slots:
            note(next(r for r in self.rules.values() if r.column), NO_PERSON)
            return None
        consent = {k: v for k, v in consent.items() if v is not None}
        return {**consent, "person": slots.index(self.person)}


def filled(raw) -> bool:
    """A cell that says something (not None, not blank)."""
    return raw is not None and not (isinstance(raw, str) and not raw.strip())
