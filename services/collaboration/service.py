"""nameko entrypoints of the collaboration service: validate, call the application, return."""
from nameko.rpc import rpc

from kasane.runtime.commands import load_command, not_found_as
from kasane.runtime.dependency import KasaneRuntime
from kasane.runtime.service import InstanceEntrypoints
from kasane.runtime.wiring import Wiring

from collaboration.application import CollaborationApplication
from collaboration.integration import handlers, translators
from collaboration.schemas import CaseQuerySchema, HouseholdQuerySchema


def bootstrap(settings, env) -> Wiring:
    app = CollaborationApplication(env=env)
    return Wiring(app=app, translators=translators(), handlers=handlers(app))


class CollaborationService(InstanceEntrypoints):
    name = "collaboration"
    kasane = KasaneRuntime(bootstrap)

    @rpc
    def get_case(self, case_id: str) -> dict:
        """ケース照会 — one case with its referring agencies."""
        data, _ = load_command(CaseQuerySchema(), {"case_id": case_id})
        with not_found_as("case"):
            return self.kasane.app.case(data["case_id"])

    @rpc
    def open_case_of(self, household_id: str) -> dict | None:
        """The household's open case, or None."""
        data, _ = load_command(HouseholdQuerySchema(), {"household_id": household_id})
        return self.kasane.app.open_case_of(data["household_id"])
