"""数値目標 — a city profile's KPI tables (kpi_tables): one seed table of targets per fiscal year,
each row naming the counter that measures it (`counter`, one of its business line's
REPORT_COUNTERS, optionally narrowed by `agencies`) or marked 手入力 with why no record counts it.
The yearly report (kasane.report) fills every row from one or the other."""
from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates_schema

from kasane_contracts.vocabulary import BUSINESS_LINES

from directory.profile_fields import _Strict, _id, _one_of, _text

#: `agencies`: the row's own agency ("row"), agencies whose id starts with a prefix, or one of the
#: city's meeting bodies (body:<id>, for meetings counted per 会議体).
AGENCIES_SCOPE = r"^(row|prefix:[a-z0-9][a-z0-9-]*|body:[a-z0-9][a-z0-9-]*)$"
MANUAL = "手入力"


class TargetNumber(fields.Field):
    """A target as the seed writes it: a whole number stays an int (210 件), else a float."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValidationError("Not a number (write 53500, not \"53,500件\").")
        return int(value) if float(value).is_integer() else float(value)


class KpiRowSchema(_Strict):
    """数値目標 — one target of one fiscal year."""

    id = _id(required=True)
    metric = _text(required=True)
    target = TargetNumber(required=True, validate=validate.Range(min=0))
    unit = _text(required=True)
    business_line = _one_of(BUSINESS_LINES, "the business lines")
    agency = _id(allow_none=True)
    note = fields.String()
    counter = fields.String(validate=validate.Regexp(
        r"^[a-z][a-z0-9_]*$", error="Not a counter name (see REPORT_COUNTERS)."))
    agencies = fields.String(validate=validate.Regexp(
        AGENCIES_SCOPE, error="Not an agency scope (row, prefix:<id prefix> or body:<meeting body id>)."))
    手入力 = _text()  # why no record counts this row: its actual is entered by hand

    @validates_schema
    def counted_or_by_hand(self, row: dict, **kwargs) -> None:
        if ("counter" in row) == (MANUAL in row):
            raise ValidationError(f"Give either counter (what measures it) or {MANUAL} (why it is "
                                  "entered by hand), not both and not neither.")
        if "agencies" in row and "counter" not in row:
            raise ValidationError("agencies narrows a counter: give it with counter.", "agencies")


class KpiTableSchema(_Strict):
    """One seed table of targets for one fiscal year (年度, 令和 and FY)."""

    source = _text(required=True)
    年度 = fields.String(required=True, validate=validate.Regexp(
        r"^R[1-9][0-9]?$", error="Not a 令和 fiscal year (R1, R2, …)."))
    fiscal_year = fields.Integer(required=True, strict=True, validate=validate.Range(2019, 2100))
    business_line = _one_of(BUSINESS_LINES, "the business lines")
    agency = _id(allow_none=True)
    rows = fields.List(fields.Nested(KpiRowSchema), required=True, validate=validate.Length(min=1))


def flatten_kpis(table: dict) -> list[dict]:
    return [{
        "id": row["id"], "年度": table["年度"], "fiscal_year": table["fiscal_year"],
        "metric": row["metric"], "target": row["target"], "unit": row["unit"],
        "business_line": row.get("business_line", table.get("business_line")),
        "agency": row.get("agency", table.get("agency")), "source": table["source"],
        "note": row.get("note"), "counter": row.get("counter"), "agencies": row.get("agencies"),
        "manual": row.get(MANUAL),
    } for row in table["rows"]]
