"""nameko entrypoints of the consultation service: validate, call the application, return."""
from nameko.rpc import rpc

from kasane.runtime.commands import load_command, not_found_as
from kasane.runtime.dependency import KasaneRuntime
from kasane.runtime.service import InstanceEntrypoints
from kasane.runtime.wiring import Wiring

from consultation.application import ConsultationApplication
from consultation.integration import translators
from consultation.schemas import (ConsultationQuerySchema, ReceiveConsultationSchema,
                                  ReferToCollaborationSchema)


def bootstrap(settings, env) -> Wiring:
    return Wiring(app=ConsultationApplication(env=env), translators=translators())


class ConsultationService(InstanceEntrypoints):
    name = "consultation"
    kasane = KasaneRuntime(bootstrap)

    @rpc
    def receive_consultation(self, command: dict) -> dict:
        """相談受付 — record an intake sheet."""
        data, trace = load_command(ReceiveConsultationSchema(), command)
        return self.kasane.app.receive_consultation(trace, **data)

    @rpc
    def refer_to_collaboration(self, command: dict) -> dict:
        """多機関協働へつなぐ — refer the consultation's household to multi-agency collaboration."""
        data, trace = load_command(ReferToCollaborationSchema(), command)
        with not_found_as("consultation"):
            return self.kasane.app.refer_to_collaboration(trace, **data)

    @rpc
    def get_consultation(self, consultation_id: str) -> dict:
        data, _ = load_command(ConsultationQuerySchema(), {"consultation_id": consultation_id})
        with not_found_as("consultation"):
            return self.kasane.app.consultation(data["consultation_id"])
