"""アウトリーチ's steps on the in-memory driver (tests.drivers): a lead, a contact, a consent and
a つなぎ to a consultation desk, as the domain tests repeat them."""
from kasane.bus.envelope import Origin

from outreach import schemas
from outreach.application import OutreachApplication

from tests.drivers import Driver

ORIGIN = Origin(service="outreach", organisation="org-shakyo", instance="shakyo-csw")
DESK = {"instance": "ise-jiritsu", "organisation": "org-jiritsu",
        "agency": {"agency_id": "ise-jiritsu", "name": "伊勢市 生活サポートセンター"}}


class Csw(Driver):
    def __init__(self, **settings):
        super().__init__(OutreachApplication(instance=ORIGIN.instance, organisation=ORIGIN.organisation,
                                             **settings), ORIGIN)

    def lead(self, **overrides) -> dict:
        command = {"source": "minsei_iin", "noticed_on": "2026-05-01", "worker_id": "csw-03",
                   "persons": [{"relation": "self"}], "address": "伊勢市 見本町1-2",
                   "description": "50代男性、雨戸が閉まったまま", "noticed": "郵便物がたまっている"}
        return self.run("take_lead", schemas.TakeLeadSchema(), {**command, **overrides})

    def contact(self, case_id: str, on: str = "2026-05-10", **overrides) -> dict:
        command = {"case_id": case_id, "contacted_on": on, "mode": "direct", "with_whom": "self",
                   "outcome": "talked", "worker_id": "csw-03", "note": "玄関先で5分話せた"}
        return self.run("record_contact", schemas.RecordContactSchema(), {**command, **overrides})

    def consent(self, case_id: str, person_id: str, **overrides) -> dict:
        command = {"case_id": case_id, "person_id": person_id, "given_by": "self",
                   "method": "written", "organisations": ["org-jiritsu"], "purposes": [],
                   "given_at": "2026-05-20T10:00:00+09:00", "worker_id": "csw-03"}
        return self.run("record_consent", schemas.RecordConsentSchema(), {**command, **overrides})

    def connect(self, case_id: str, **overrides) -> dict:
        command = {"case_id": case_id, "to": DESK, "issue_categories": ["hikikomori"],
                   "worker_id": "csw-03", "summary": "訪問5回目で相談窓口へ行くことに同意"}
        return self.run("connect_to_consultation", schemas.ConnectSchema(), {**command, **overrides})
