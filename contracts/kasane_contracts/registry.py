"""契約一覧 — the registry: which event types and versions exist, and where their schemas are."""
import builtins
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from marshmallow import Schema

from .errors import ContractViolation
from .events.audit import CheckpointSignedV1
from .events.collaboration import CaseJoinedV1, CaseOpenedV1, ReferralJoinedCaseV1
from .events.consultation import ConsultationReceivedV1, HouseholdReferredV1
from .events.collaboration import HouseholdHandedBackV1
from .events.community import TsunaguSheetSentV1
from .events.consultation import (ConnectedToAgencyV1, ConsentRecordedV1, ConsentWithdrawnV1,
                                  HouseholdsMergedV1)
from .events.outreach import PersonConnectedV1
from .events.collaboration_support import (CaseClosedV1, CaseSuspendedV1, PlanApprovedV1,
                                            ReferralReturnedV1, RoleRequestedV1,
                                            SocialResourceShortageFoundV1)
from .events.directory import (AgencyChangedV1, AgencyRegisteredV1, AgencyWithdrawnV1,
                               OrganisationChangedV1, OrganisationRegisteredV1)
from .events.audit import PersonalDataReadV1
from .events.outreach_consent import OutreachConsentObtainedV1
from .events.outreach_plan import OutreachPlanReportedV1
from .events.community import AreaIssueRecordedV1
from .events.participation import HostProblemReportedV1
from .events.directory import (CityProfileAppliedV1, CityProfileAppliedV2, CityProfileAppliedV3,
                               OrganisationDisabledV1)
from .events.plan_judgement import PlanJudgedV1, PlanProposedV1
from .events.directory_instances import (ContractorExitRecordedV1, InstancesRegisteredV1,
                                         InstancesRegisteredV2)
from .events.support_meeting import SupportMeetingDecidedV1
from .events.consultation_outreach import OutreachRequestedV1
from .events.outreach_handover import OutreachConsentWithdrawnV1, PersonHandedOverV1
from .fields import TYPE_PATTERN

SCHEMAS_DIR = Path(__file__).parent / "schemas"
ENVELOPE_SCHEMA_PATH = SCHEMAS_DIR / "envelope.v1.json"


# Events never about a household (their `household_id` is null): every event of the city's directory,
# the audit ledger's checkpoints, and what 多機関協働 and 地域づくり find for an area.
ABOUT_NO_HOUSEHOLD = frozenset({"audit.checkpoint_signed", "collaboration.social_resource_shortage_found",
                                "community.area_issue_recorded"})


@dataclass(frozen=True)
class Contract:
    """契約 — one integration event type at one version, and where it travels.

    `about_household` is False for an event that is never about a household (ABOUT_NO_HOUSEHOLD
    or the directory's): its `household_id` must then be null.
    """

    type: str
    version: int
    payload_schema: builtins.type[Schema]  # `type` is the field above, in this class
    about_household: bool = field(init=False)
    channel: str = field(init=False)
    json_schema_path: Path = field(init=False)

    def __post_init__(self):
        about = not (self.type.startswith("directory.") or self.type in ABOUT_NO_HOUSEHOLD)
        object.__setattr__(self, "about_household", about)
        channel = f"{self.type}.v{self.version}"
        object.__setattr__(self, "channel", channel)
        object.__setattr__(self, "json_schema_path", SCHEMAS_DIR / f"{channel}.json")

    def routing_key(self, instance: str, recipient: str | None = None) -> str:
        """The routing key on the `kasane.events` exchange for an event from `instance`
        (addressed to one `recipient` instance: `….to.<recipient>`)."""
        key = f"ev.{instance}.{self.type}.v{self.version}"
        return f"{key}.to.{recipient}" if recipient else key


_CONTRACTS = {
    (contract.type, contract.version): contract
    for contract in (
        Contract("consultation.consultation_received", 1, ConsultationReceivedV1),
        Contract("consultation.household_referred", 1, HouseholdReferredV1),
        Contract("collaboration.case_opened", 1, CaseOpenedV1),
        Contract("collaboration.referral_joined_case", 1, ReferralJoinedCaseV1),
        Contract("collaboration.case_joined", 1, CaseJoinedV1),
        Contract("audit.checkpoint_signed", 1, CheckpointSignedV1),
        Contract("consultation.connected_to_agency", 1, ConnectedToAgencyV1),
        Contract("consultation.consent_recorded", 1, ConsentRecordedV1),
        Contract("consultation.consent_withdrawn", 1, ConsentWithdrawnV1),
        Contract("consultation.households_merged", 1, HouseholdsMergedV1),
        Contract("collaboration.household_handed_back", 1, HouseholdHandedBackV1),
        Contract("community.tsunagu_sheet_sent", 1, TsunaguSheetSentV1),
        Contract("outreach.person_connected", 1, PersonConnectedV1),
        Contract("collaboration.referral_returned", 1, ReferralReturnedV1),
        Contract("collaboration.plan_approved", 1, PlanApprovedV1),
        Contract("collaboration.role_requested", 1, RoleRequestedV1),
        Contract("collaboration.social_resource_shortage_found", 1, SocialResourceShortageFoundV1),
        Contract("collaboration.case_closed", 1, CaseClosedV1),
        Contract("collaboration.case_suspended", 1, CaseSuspendedV1),
        Contract("directory.organisation_registered", 1, OrganisationRegisteredV1),
        Contract("directory.organisation_changed", 1, OrganisationChangedV1),
        Contract("directory.agency_registered", 1, AgencyRegisteredV1),
        Contract("directory.agency_changed", 1, AgencyChangedV1),
        Contract("directory.agency_withdrawn", 1, AgencyWithdrawnV1),
        Contract("audit.personal_data_read", 1, PersonalDataReadV1),
        Contract("outreach.consent_obtained", 1, OutreachConsentObtainedV1),
        Contract("community.area_issue_recorded", 1, AreaIssueRecordedV1),
        Contract("participation.host_problem_reported", 1, HostProblemReportedV1),
        Contract("outreach.plan_reported", 1, OutreachPlanReportedV1),
        Contract("directory.organisation_disabled", 1, OrganisationDisabledV1),
        Contract("directory.city_profile_applied", 1, CityProfileAppliedV1),
        Contract("directory.city_profile_applied", 2, CityProfileAppliedV2),
        Contract("directory.city_profile_applied", 3, CityProfileAppliedV3),
        Contract("outreach.plan_proposed", 1, PlanProposedV1),
        Contract("participation.plan_proposed", 1, PlanProposedV1),
        Contract("collaboration.plan_judged", 1, PlanJudgedV1),
        Contract("collaboration.support_meeting_decided", 1, SupportMeetingDecidedV1),
        Contract("consultation.outreach_requested", 1, OutreachRequestedV1),
        Contract("outreach.consent_withdrawn", 1, OutreachConsentWithdrawnV1),
        Contract("outreach.person_handed_over", 1, PersonHandedOverV1),
        Contract("directory.instances_registered", 1, InstancesRegisteredV1),
        Contract("directory.instances_registered", 2, InstancesRegisteredV2),
        Contract("directory.contractor_exit_recorded", 1, ContractorExitRecordedV1),
    )
}


def known_contracts() -> list[Contract]:
    """Every contract, in registration order."""
    return list(_CONTRACTS.values())


def find_contract(event_type: object, version: object) -> Contract | None:
    """The contract for a type and version as they came off the wire (3.0 counts as 3), or None."""
    if isinstance(version, float) and version.is_integer():
        version = int(version)
    if not isinstance(event_type, str) or type(version) is not int:
        return None
    return _CONTRACTS.get((event_type, version))


def contract_for(event_type: str, version: int) -> Contract:
    """The contract for a type and version; ContractViolation when there is none."""
    contract = find_contract(event_type, version)
    if contract is None:
        raise unknown_contract(event_type, version)
    return contract


def unknown_contract(event_type: object, version: object) -> ContractViolation:
    """"unknown contract consultation.foo v3", quoting only a well-formed type and version."""
    well_formed = isinstance(event_type, str) and re.fullmatch(TYPE_PATTERN, event_type)
    shown_type = event_type if well_formed else "(malformed type)"
    shown_version = f"v{version}" if type(version) is int else "(malformed version)"
    return ContractViolation(
        f"unknown contract {shown_type} {shown_version}",
        {"type": ["No contract for this type and version."]},
    )


def load_json_schema(event_type: str, version: int) -> dict:
    """The event's JSON Schema (draft 2020-12) with the envelope bundled in under `$defs`.

    The envelope keeps its `$id`, so the event's `$ref`s to it resolve without any registry.
    """
    schema = _read(contract_for(event_type, version).json_schema_path)
    schema.setdefault("$defs", {})["envelope.v1"] = _read(ENVELOPE_SCHEMA_PATH)
    return schema


def _read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
