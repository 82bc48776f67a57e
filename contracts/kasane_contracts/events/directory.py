"""機関名簿 — events the directory publishes: the organisations and agencies of a city.

The directory holds, per city, the organisations (市の所管課, 社会福祉協議会, 社会福祉法人, NPO,
医師会, …) and the agencies (相談支援機関・拠点) its profile lists (deploy/profiles/<city>.yaml,
issue 7). None of these events is about a household: `household_id` is null.

Every event carries the whole current record, so a consumer can keep its copy by replacing it;
`changed` names what a change changed. The code lists below are the wire codes; the JSON
Schemas check them with patterns that list the same codes (tests/domain/test_directory_contracts).
"""
from marshmallow import ValidationError, fields, validate

from kasane_contracts.vocabulary import BUSINESS_LINES, JUDGED_PLAN_SERVICES, MEETING_BASES

from ..fields import (ContractSchema, JsonInteger, UtcDateTime, code, codes, non_empty_string,
                      unique_items)

# 分野 — the field an agency serves (001 §1(4)エ: 介護・障がい・子ども・生困, plus 全世代).
AGENCY_FIELDS = {
    "elderly": "高齢",
    "disability": "障がい",
    "children": "子ども・子育て",
    "poverty": "生活困窮",
    "all": "全世代・分野横断",
}

# 設置形態 (DOMAIN §6; 004 §7 defines 基本型 and 統合型).
SETTING_FORMS = ("基本型", "統合型", "地域型")

# 運営形態 (DOMAIN §6; 000 §5 凡例 "委託、一部委託、直営 等の別").
OPERATING_FORMS = ("直営", "委託", "一部委託", "指定管理", "補助")

# 組織の種別 — what kind of organisation runs or oversees agencies.
ORGANISATION_KINDS = {
    "city": "市",
    "city_section": "市の所管課",
    "shakyo": "社会福祉協議会",
    "social_welfare_corporation": "社会福祉法人",
    "medical_corporation": "医療法人・社会医療法人",
    "medical_association": "医師会",
    "npo": "特定非営利活動法人",
    "association": "一般社団法人・公益社団法人",
    "resident_group": "地域住民組織・任意団体",
    "other": "その他",
}

#: The id of an organisation, agency or area: lower-case ASCII, digits and "-".
DIRECTORY_ID_PATTERN = r"[a-z0-9][a-z0-9-]{0,99}"
#: An agency's area: an area id of its city, or "city-wide" (市全域).
CITY_WIDE = "city-wide"


def directory_id(**kwargs) -> fields.String:
    return fields.String(
        validate=validate.Regexp(f"^{DIRECTORY_ID_PATTERN}$", error="Not a directory id."), **kwargs)


def one_of(values, name: str, **kwargs) -> fields.String:
    return fields.String(validate=validate.OneOf(tuple(values), error=f"Not one of the {name}."),
                         **kwargs)


class OrganisationRecord(ContractSchema):
    """組織 — one organisation as the city's profile lists it."""

    city = directory_id(required=True)
    organisation_id = directory_id(required=True)
    name = non_empty_string(required=True)
    kind = code(ORGANISATION_KINDS, "ORGANISATION_KINDS", required=True)
    parent = directory_id(allow_none=True)  # a 所管課's city, a 支所's 本部


class AgencyRecord(ContractSchema):
    """相談支援機関・拠点 — one agency as the city's profile tabulates it."""

    city = directory_id(required=True)
    agency_id = directory_id(required=True)
    name = non_empty_string(required=True)
    table = fields.String(allow_none=True)  # 市の事業名称 of the seed's table
    business_line = code(BUSINESS_LINES, "BUSINESS_LINES", required=True)
    field = code(AGENCY_FIELDS, "AGENCY_FIELDS", required=True, allow_none=True)
    setting_form = one_of(SETTING_FORMS, "設置形態", required=True, allow_none=True)  # 設置形態
    operating_form = one_of(OPERATING_FORMS, "運営形態", required=True, allow_none=True)  # 運営形態
    responsible_sections = fields.List(directory_id(), required=True, validate=unique_items)  # 所管課
    target_group = fields.String(allow_none=True)  # 主な対象者
    area = directory_id(required=True, allow_none=True)  # an area id, "city-wide", or unknown
    covers = fields.List(directory_id(), validate=unique_items)  # 担当地区 of a multi-area centre
    operator = directory_id(required=True, allow_none=True)  # 運営法人・受託法人; null: the seed names none
    joint_operators = fields.List(directory_id(), validate=unique_items)
    sites = JsonInteger(allow_none=True, validate=validate.Range(min=1))  # 設置箇所数


class _Registered(ContractSchema):
    """登録 — when a record entered the directory (or came back to it)."""

    registered_at = UtcDateTime(required=True)


class _Changed(ContractSchema):
    """変更 — when a record changed, and which of its fields (`changed`, one at least)."""

    changed = fields.List(non_empty_string(), required=True,
                          validate=[validate.Length(min=1), unique_items])
    changed_at = UtcDateTime(required=True)


# Each is its record and a part; the part is named first so that a loaded event lists the record's
# fields before the part's (marshmallow takes the fields of the last base first).
class OrganisationRegisteredV1(_Registered, OrganisationRecord):
    """組織の登録 — an organisation entered the directory (or came back to it) (v1)."""


class OrganisationChangedV1(_Changed, OrganisationRecord):
    """組織の変更 — an organisation's record changed; `changed` names the fields (v1)."""


class AgencyRegisteredV1(_Registered, AgencyRecord):
    """機関の登録 — an agency entered the directory (or came back to it) (v1)."""


class AgencyChangedV1(_Changed, AgencyRecord):
    """機関の変更 — an agency's record changed; `changed` names the fields (v1)."""


class AgencyWithdrawnV1(ContractSchema):
    """機関の廃止 — an agency is no longer in its city's profile; its history is kept (v1)."""

    city = directory_id(required=True)
    agency_id = directory_id(required=True)
    name = non_empty_string(required=True)
    business_line = code(BUSINESS_LINES, "BUSINESS_LINES", required=True)
    withdrawn_at = UtcDateTime(required=True)


class OrganisationDisabledV1(ContractSchema):
    """組織の無効化 — an organisation is no longer in its city's profile; its history is kept,
    and it may come back (then directory.organisation_registered again) (v1)."""

    city = directory_id(required=True)
    organisation_id = directory_id(required=True)
    name = non_empty_string(required=True)
    kind = code(ORGANISATION_KINDS, "ORGANISATION_KINDS", required=True)
    disabled_at = UtcDateTime(required=True)


class JsonNumber(fields.Field):
    """A JSON number as JSON Schema counts one: 210 and 92.5 yes; "210" and true no."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValidationError("Not a number.")
        return value


class AreaRecord(ContractSchema):
    """圏域 — one area (日常生活圏域 or the kind the profile names) of the city."""

    area_id = directory_id(required=True)
    name = non_empty_string(required=True)  # 名称
    kind = non_empty_string(required=True)  # 日常生活圏域, 地域包括支援センター圏域, 地区, …


class KpiTargetRecord(ContractSchema):
    """数値目標 — one yearly target as the profile gives it (seed table cited in `source`)."""

    kpi_id = directory_id(required=True)
    fiscal_year = JsonInteger(required=True, validate=validate.Range(min=2019, max=2100))  # 年度 (FY)
    era_year = fields.String(required=True, validate=validate.Regexp(
        r"^R[1-9][0-9]?$", error="Not a 令和 fiscal year (R1, R2, …)."))  # 令和の年度 (R7)
    metric = non_empty_string(required=True)
    target = JsonNumber(required=True, validate=validate.Range(min=0))
    unit = non_empty_string(required=True)
    business_line = code(BUSINESS_LINES, "BUSINESS_LINES", required=True)
    agency = directory_id(required=True, allow_none=True)  # the agency it is set for, or null
    source = fields.String(allow_none=True)
    note = fields.String(allow_none=True)


class CityProfileAppliedV1(ContractSchema):
    """市のプロファイルの反映 — a city's areas (日常生活圏域) and yearly KPI targets (数値目標) as
    its profile was applied: the whole current state each time; `changed` names what changed
    ([] the first time the city's profile is applied). No household, nothing personal (v1)."""

    city = directory_id(required=True)
    name = non_empty_string(required=True)
    name_ja = non_empty_string(required=True)  # 日本語名 (松戸市)
    prefecture = non_empty_string(required=True)
    area_term = non_empty_string(required=True)  # the profile's main term (日常生活圏域, 地区, …)
    declared_area_count = JsonInteger(required=True, validate=validate.Range(min=1))
    areas = fields.List(fields.Nested(AreaRecord), required=True)
    kpi_targets = fields.List(fields.Nested(KpiTargetRecord), required=True)
    changed = fields.List(non_empty_string(), required=True, validate=unique_items)
    applied_at = UtcDateTime(required=True)


class MeetingBodyRecord(ContractSchema):
    """会議体 — a meeting body the city names itself and the bases it meets under (seed 001
    §10(4) 支援調整会議・地域ケア会議 …, 004 §6(2) ふくし総合支援会議)."""

    body_id = directory_id(required=True)
    name = non_empty_string(required=True)  # 名称
    bases = fields.List(code(MEETING_BASES, "MEETING_BASES"), required=True,
                        validate=[validate.Length(min=1), unique_items])


class CityProfileAppliedV2(CityProfileAppliedV1):
    """市のプロファイルの反映 — v1 and the city's own meeting bodies (会議体): which body may meet
    as 重層的支援会議, as 支援会議 (法106条の6) or as another meeting (v2)."""

    meeting_bodies = fields.List(fields.Nested(MeetingBodyRecord), required=True)


class CityProfileAppliedV3(CityProfileAppliedV2):
    """市のプロファイルの反映 — v2 and which lines' plans the city has judged by a 重層的支援会議
    before they come into force (`plans_judged_at_meeting`: outreach, participation; [] none;
    seed 001 §1(5)イ(イ)①) (v3)."""

    plans_judged_at_meeting = codes(JUDGED_PLAN_SERVICES, "JUDGED_PLAN_SERVICES", required=True)
