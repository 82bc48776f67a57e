"""多機関協働の画面 — the case as the 多機関協働 staff work it: the referral accepted (the case
goes on to assessment) or returned (差し戻し), the assessment (every revision kept and shown),
the 支援プラン with its 役割分担 chosen from the city's directory, the 重層的支援会議's decision,
and 終結 (which hands the household back to the desk that referred it)."""
from __future__ import annotations

from functools import partial

from kasane import vocabulary as v
from kasane.clock import JST, now

from gateway.pages.door import form_page, page
from gateway.pages.forms import Form
from gateway.pages.meetings import decisions_for, goals_of, meeting_bodies
from gateway.pages.render import html, sent
from gateway.web import http


def today() -> str:
    return now().astimezone(JST).date().isoformat()


class CollaborationPages:
    page_case = form_page("/cases/<case_id>", "_case_page", "case.read", purpose="多機関協働のケースの確認")

    def _case_page(self, session, case_id: str, form: Form, status: int = 200):
        takikan, record = self._case(case_id)
        directory = self._directory(takikan)
        consent = takikan.household_consent(record["household_id"])
        return html("case.html", status=status, session=session, case=record, form=form, errors=form.errors,
                    consent=consent, directory=directory,
                    bodies=meeting_bodies(takikan, consent["allows_collaboration"]),
                    today=today(), decisions=decisions_for(record), goals=goals_of(record),
                    organisations=sorted({a["operator"] for a in directory} - {session.organisation}))

    def _takikan(self):
        return self.instances[self.instances.one_of("collaboration")]

    def _case(self, case_id: str):
        """The organisation's 多機関協働 instance, and the case's record as it stands there."""
        takikan = self._takikan()
        return takikan, takikan.case_record(case_id)

    @staticmethod
    def _directory(takikan) -> list[dict]:
        """The agencies of the city's directory that may take a role (an operator is named), each
        with the instance its operator runs for that line, as this organisation's copies hold them
        (機関名簿 and インスタンス名簿, kept by the kernel from the directory's events)."""
        registry = takikan.directory_instances() or []
        runs = {(i["organisation"], i["service"]): i["instance"] for i in registry}
        return [{**a, "instance": runs.get((a["operator"], a["business_line"]))}
                for a in takikan.directory_agencies()
                if a.get("business_line") in v.ROLE_SERVICES and a.get("operator")]

    @http("POST", "/cases/<case_id>/return")
    @page("case.write", purpose="つなぎの差し戻し")
    def page_return_referral(self, request, session, case_id):
        form = Form(request.form)
        reason = form.choice("reason", "差し戻しの理由", v.REFERRAL_RETURN_REASONS)
        note = form.optional_text("note", "差し戻しのメモ")
        return self._on_case(session, case_id, form, self._takikan().return_referral,
                             referral_id=form.get("referral_id"), reason=reason, note=note)

    @http("POST", "/cases/<case_id>/assessment")
    @page("case.write", purpose="アセスメント")
    def page_assessment(self, request, session, case_id):
        form = Form(request.form)
        household = {"issue_categories": form.choices("a_categories", "世帯の課題", v.ISSUE_CATEGORIES),
                     **{k: form.optional_text(f"a_{k}", label) for k, label in
                        (("situation", "世帯の状況"), ("strengths", "強み"), ("wishes", "本人・世帯の意向"),
                         ("risks", "リスク"))}}
        if not (household["situation"] or household["issue_categories"]):
            form.refuse("a_situation", "世帯の状況を入力するか、課題を選んでください")
        return sent(form, partial(self._case_page, session, case_id), lambda: self._takikan().record_assessment({
            "case_id": case_id, "assessed_on": today(), "household": household,
            "assessor": {"organisation": session.organisation, "caseworker_id": session.login}}), f"/cases/{case_id}")

    @http("POST", "/cases/<case_id>/plan")
    @page("case.write", purpose="支援プランの作成")
    def page_plan(self, request, session, case_id):
        form = Form(request.form)
        takikan = self._takikan()
        goal = form.required("household_goal", "世帯の目標", 2000)
        role = self._role(form, self._directory(takikan))
        monitoring = form.day("monitoring_on", "モニタリング予定日", required=True)
        return self._on_case(session, case_id, form, takikan.draft_plan, drafted_on=today(), household_goal=goal,
                             roles=[role], monitoring_dates=[monitoring.isoformat()] if monitoring else [])

    @staticmethod
    def _role(form: Form, directory: list[dict]) -> dict:
        """役割分担: a task for an agency chosen from the directory."""
        task = form.choice("role_task", "役割", v.ROLE_TASKS)
        chosen = [a for a in directory if a["agency_id"] == form.get("role_agency")]
        if not chosen:
            form.refuse("role_agency", "役割を担う機関を市の機関名簿から選んでください")
            return {}
        agency = chosen[0]
        return {"service": agency["business_line"], "task": task, "organisation": agency["operator"],
                "agency": {"agency_id": agency["agency_id"], "name": agency["name"]},
                "instance": agency.get("instance"), "starts_on": today(),
                "description": form.optional_text("role_description", "役割の内容")}

    @http("POST", "/cases/<case_id>/close")
    @page("case.write", purpose="支援の終結")
    def page_close(self, request, session, case_id):
        form = Form(request.form)
        summary = form.required("summary", "終結時の評価・引継ぎ事項", 2000)
        return self._on_case(session, case_id, form, self._takikan().close_case, summary=summary)

    @http("POST", "/cases/<case_id>/suspend")
    @page("case.write", purpose="支援の中断")
    def page_suspend(self, request, session, case_id):
        """中断 — as the meeting decided; the household goes back to the desk (つなぎ戻し)."""
        form = Form(request.form)
        summary = form.optional_text("suspend_summary", "中断時の引継ぎ事項")
        return self._on_case(session, case_id, form, self._takikan().suspend_case, summary=summary)

    @http("POST", "/cases/<case_id>/monitoring")
    @page("case.write", purpose="モニタリングの記録")
    def page_monitoring(self, request, session, case_id):
        """モニタリング — a change of situation opens a re-plan (the plan form shows again)."""
        form = Form(request.form)
        changed = form.choice("situation_changed", "状況の変化", {"yes": "", "no": ""})
        upcoming = form.day("next_monitoring", "次のモニタリング予定日")
        note = form.optional_text("monitoring_note", "モニタリングの記録")
        return self._on_case(session, case_id, form, self._takikan().record_monitoring, monitored_on=today(),
                             situation_changed=changed == "yes", note=note,
                             next_monitoring_on=upcoming.isoformat() if upcoming else None)

    def _on_case(self, session, case_id: str, form: Form, send, **command):
        """A form about one case, sent by the signed-in caseworker (`send`, the instance's use
        case) unless refused; back to the case."""
        return sent(form, partial(self._case_page, session, case_id),
                    lambda: send({"case_id": case_id, "caseworker_id": session.login, **command}), f"/cases/{case_id}")
