"""生成ワークロード — the campaign's workload: at a steady rate, a seeded choice among the desks'
and 多機関協働's use cases (intakes, household searches and merges, consent recorded and
withdrawn, referrals, plans judged at a 重層的支援会議, closures) and the other lines' (lines.py),
each command with its own id. Over RPC with a person in the context, as a gateway calls; a desk
fronted by a gateway in the deployment takes its intakes and searches over HTTP (door.py).

Every command goes into the history with its answer: `ok` (acknowledged), `refused` (a domain
rule or validation said no: nothing stored) or `unknown` (no answer: timeout, broker or database
down). An unknown command is never retried under the same id: it may have taken effect once.
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import timedelta
from uuid import NAMESPACE_URL, uuid5

from kasane import clock
from kasane.client import rpc_cluster
from kasane.config import BrokerSettings
from kasane.deployment import DeployedInstance
from kasane.errors import DomainRuleViolation, InvalidCommand, NotFound, Unidentified
from kasane.faults.door import ROUTES
from kasane.faults.history import History
from kasane.faults.lines import LINE_WEIGHTS, OtherLines

REFUSALS = (DomainRuleViolation, InvalidCommand, NotFound, Unidentified)
COMMAND_IDS = uuid5(NAMESPACE_URL, "https://kasane.example/fault-campaign/commands")
WEIGHTS = {"intake": 4, "search": 2, "consent": 3, "refer": 3, "plan": 2, "withdraw": 1,
           "merge": 1, "resolve": 1, "meeting": 1, **LINE_WEIGHTS}


@dataclass
class Household:
    desk: str
    household_id: str
    consultation_id: str
    person_ids: list
    consent_id: str | None = None
    referred: bool = False
    case_id: str | None = None
    drafted: bool = False
    planned: bool = False
    closed: bool = False
    participation: bool = False  # its plan asked participation for a role
    participation_step: str = "requested"
    support_id: str | None = None
    match_id: str | None = None


@dataclass
class Workload(OtherLines):
    seed: int
    broker: BrokerSettings
    desks: list          # DeployedInstance of consultation
    collaboration: DeployedInstance
    outreach: list       # DeployedInstance of outreach (roles are addressed to them)
    participation: DeployedInstance
    community: DeployedInstance
    history: History
    agencies: dict = field(default_factory=dict)  # outreach/participation instance -> its agency in the directory
    households: list = field(default_factory=list)
    leads: list = field(default_factory=list)  # OutreachLead, taken at an outreach instance directly
    issued: int = 0
    doors: dict = field(default_factory=dict)  # desk instance -> GatewayDoor: its intakes and searches over HTTP
    place_id: str | None = None  # the 居場所 whose つなぐシート the workload writes
    host_id: str | None = None   # the participation host every match uses

    def __post_init__(self):
        self.draw = random.Random(self.seed)
        self.rpc = None

    def run(self, seconds: float, rate: float, stop=lambda: False) -> None:
        """Issue commands at `rate` per second for `seconds`, whatever the faults."""
        deadline, interval = time.monotonic() + seconds, 1.0 / rate
        try:
            while time.monotonic() < deadline and not stop():
                began = time.monotonic()
                self.step()
                time.sleep(max(0.0, interval - (time.monotonic() - began)))
        finally:
            self._drop_connection()

    def step(self) -> None:
        kind = self.draw.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
        getattr(self, f"_{kind}")()

    # -- calling ---------------------------------------------------------------------------
    def call(self, instance: str, method: str, command: dict | str, stores: bool = True) -> dict | None:
        self.issued += 1
        command_id = str(uuid5(COMMAND_IDS, f"{self.seed}/{self.issued}"))
        if isinstance(command, dict):
            command = {**command, "command_id": command_id}
        door = self.doors.get(instance) if method in ROUTES and isinstance(command, dict) else None
        entry = {"n": self.issued, "instance": instance, "method": method, "command_id": command_id,
                 "stores": stores, "via": "gateway" if door else "rpc"}
        if door is not None and isinstance(command, dict):
            answer, result, error = door.call(method, {**command, "instance": instance})
            self.history.record("command", **entry, answer=answer, **({"error": error} if error else {}))
            return result if answer == "ok" else None
        try:
            result = getattr(self._proxy()[instance], method)(command)
        except REFUSALS as exc:
            # A refusal's message names rules and fields, never a value (kasane's errors never do).
            self.history.record("command", **entry, answer="refused", error=type(exc).__name__,
                                reason=str(exc)[:200])
            return None
        except Exception as exc:  # noqa: BLE001 — no answer: the command may or may not have taken effect
            self.history.record("command", **entry, answer="unknown", error=type(exc).__name__)
            self._drop_connection()
            return None
        self.history.record("command", **entry, answer="ok")
        return result

    def _proxy(self):
        if self.rpc is None:
            self._cluster = rpc_cluster(self.broker, timeout=8,
                                        reader={"name": "faults-driver", "organisation": "faults-harness",
                                                "staff_id": "faults-driver"})
            self.rpc = self._cluster.__enter__()
        return self.rpc

    def _drop_connection(self) -> None:
        if self.rpc is not None:
            self.rpc = None
            try:
                self._cluster.__exit__(None, None, None)
            except Exception:  # noqa: BLE001 — the broker went away under it
                pass

    def _pick(self, predicate) -> Household | None:
        fitting = [h for h in self.households if predicate(h)]
        return self.draw.choice(fitting) if fitting else None

    def _agency(self, desk: str) -> dict:
        deployed = next(d for d in self.desks if d.settings.instance == desk)
        agency = deployed.agencies[0]
        return {"agency_id": agency["agency_id"], "name": agency["name"]}

    # -- use cases -------------------------------------------------------------------------
    def _intake(self) -> None:
        desk = self.draw.choice(self.desks).settings.instance
        n = self.issued + 1
        persons = [{"name": f"試験 花子{n}", "kana": f"シケン ハナコ{n}", "birth_date": "1950-04-01",
                    "relation": "self", "area": "常盤平"},
                   {"name": f"試験 太郎{n}", "kana": f"シケン タロウ{n}", "birth_date": "1978-08-01",
                    "relation": "child", "area": "常盤平"}]
        answer = self.call(desk, "receive_consultation", {
            "new_household": True, "agency": self._agency(desk), "received_at": clock.utc_iso(),
            "channel": "phone", "consulted_by": "minsei_iin", "persons": persons,
            "summary": "試験用の相談（故障試験）", "issue_categories": ["8050", "isolation"],
            "caseworker_id": "faults-sw"})
        if answer:
            self.households.append(Household(desk, answer["household_id"], answer["consultation_id"],
                                             answer["person_ids"]))

    def _search(self) -> None:
        desk = self.draw.choice(self.desks).settings.instance
        self.call(desk, "find_households", {"kana": f"シケン ハナコ{self.draw.randint(1, max(1, self.issued))}"},
                  stores=False)

    def _consent(self) -> None:
        h = self._pick(lambda h: h.consent_id is None and not h.closed)
        if h is None:
            return self._intake()
        organisations = [self.collaboration.settings.organisation] + [o.settings.organisation for o in self.outreach]
        answer = self.call(h.desk, "record_consent", {
            "household_id": h.household_id, "person_id": h.person_ids[0], "given_by": "self",
            "organisations": organisations, "purposes": ["collaboration", "outreach", "participation"],
            "method": "written", "caseworker_id": "faults-sw", "agency": self._agency(h.desk)})
        if answer:
            h.consent_id = answer["consent_id"]

    def _withdraw(self) -> None:
        h = self._pick(lambda h: h.consent_id is not None and not h.closed)
        if h and self.call(h.desk, "withdraw_consent", {
                "household_id": h.household_id, "consent_id": h.consent_id, "caseworker_id": "faults-sw",
                "agency": self._agency(h.desk)}):
            h.consent_id = None

    def _refer(self) -> None:
        h = self._pick(lambda h: not h.referred and not h.closed)
        if h and self.call(h.desk, "refer_to_collaboration", {
                "consultation_id": h.consultation_id, "caseworker_id": "faults-sw",
                "reasons": ["compound_issues"], "note": "故障試験"}):
            h.referred = True

    def _plan(self) -> None:
        """Find the referred household's case (a read), then draft its plan and judge it."""
        h = self._pick(lambda h: h.referred and not h.planned)
        if h is None:
            return self._refer()
        collaboration = self.collaboration.settings
        if h.case_id is None:
            case = self.call(collaboration.instance, "open_case_of", h.household_id, stores=False)
            h.case_id = case["case_id"] if case else None
            return None
        today = clock.today()
        if not h.drafted:
            return self._draft(h, today)
        if self.call(collaboration.instance, "hold_multi_layered_meeting", {
                "held_on": today.isoformat(), "caseworker_id": "faults-tk",
                "attendees": [{"organisation": collaboration.organisation, "role": "host"}],
                "agenda": [{"case_id": h.case_id, "decision": "plan_appropriate"}]}):
            h.planned = True

    def _draft(self, h: Household, today) -> None:
        """A plan with an outreach role and, every other time, a participation role; judged later
        (the meeting is refused while the household's consent has not reached 多機関協働)."""
        roles = [{"service": "outreach", "task": "outreach_visits", "organisation": o.settings.organisation,
                  "agency": self.agencies[o.settings.instance],
                  "instance": o.settings.instance, "starts_on": today.isoformat()}
                 for o in self.draw.sample(self.outreach, 1)]
        with_participation = self.draw.random() < 0.5
        roles += [self.participation_role(today)] if with_participation else []
        if self.call(self.collaboration.settings.instance, "draft_plan", {
                "case_id": h.case_id, "drafted_on": today.isoformat(), "caseworker_id": "faults-tk",
                "person_goals": [{"person_id": h.person_ids[0], "goal": "週に一度は外出する"}],
                "roles": roles, "monitoring_dates": [(today + timedelta(days=60)).isoformat()]}):
            h.drafted, h.participation = True, with_participation

    def _meeting(self) -> None:
        """支援会議 (法106条の6): a decision addressed to one member outreach instance, shared
        without consent within the meeting; the checker proves it reached no one else."""
        h = self._pick(lambda h: not h.closed)
        if h is None:
            return self._intake()
        collaboration, outreach = self.collaboration.settings, self.draw.choice(self.outreach).settings
        desk = next(d for d in self.desks if d.settings.instance == h.desk).settings
        members = {desk.organisation: "consultation", outreach.organisation: "outreach",
                   collaboration.organisation: "host"}  # one line per organisation (直営 runs two)
        self.call(collaboration.instance, "hold_support_meeting", {
            "held_on": clock.today().isoformat(), "caseworker_id": "faults-tk",
            "members": [{"organisation": o, "role": role} for o, role in members.items()],
            "household_ids": [h.household_id], "information_shared": "会議での共有（故障試験）",
            "decisions": [{"household_id": h.household_id, "sharing_allowed": True,
                           "sharing_until": (clock.today() + timedelta(days=90)).isoformat(),
                           "roles": [{"organisation": outreach.organisation, "role": "outreach_contact"}],
                           "recipients": [{"organisation": outreach.organisation, "instance": outreach.instance}],
                           "pass_on": {"persons": [{"person_id": h.person_ids[0], "relation": "self"}],
                                       "description": "訪問の検討（故障試験）"}}]})

    def _merge(self) -> None:
        h = self._pick(lambda h: not h.referred and not h.closed)
        other = h and self._pick(lambda o: o is not h and o.desk == h.desk and not o.referred and not o.closed)
        if h and other and self.call(h.desk, "merge_households", {
                "household_id": h.household_id, "merged_household_id": other.household_id,
                "caseworker_id": "faults-sw", "agency": self._agency(h.desk)}):
            other.closed = True

    def _resolve(self) -> None:
        h = self._pick(lambda h: not h.referred and not h.closed)
        if h and self.call(h.desk, "resolve_consultation", {
                "consultation_id": h.consultation_id, "caseworker_id": "faults-sw", "note": "終結（故障試験）"}):
            h.closed = True
