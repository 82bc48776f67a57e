"""契約違反 — contract violation: the one error every contract check raises."""


class ContractViolation(Exception):
    """An integration event broke its contract.

    `reason` says what went wrong in one line; `errors` maps each field path
    ("payload.personal.persons.0.birth_date") to why it failed. Neither ever quotes a
    submitted value: events carry personal details (氏名, 生年月日), and violations end up in
    logs and in the dead-letter header `x-kasane-reason`.
    """

    def __init__(self, reason: str, errors: dict[str, list[str]] | None = None):
        self.reason = reason
        self.errors = dict(errors or {})
        super().__init__(self.describe())

    def describe(self) -> str:
        """The reason and every failing field, on one line."""
        details = "; ".join(
            f"{path}: {' '.join(messages)}" for path, messages in sorted(self.errors.items())
        )
        return f"{self.reason} ({details})" if details else self.reason
