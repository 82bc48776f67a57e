"""監査と市のシステム管理の画面 — the auditor's replay of a household's history as of a date (the
audit ledger's organisation only), and city IT's view of the organisation's instances (稼働状況:
relay, consumer, dead letters; no case content)."""
from __future__ import annotations

from datetime import datetime, time, timedelta
from uuid import UUID

from kasane.clock import JST
from kasane.errors import NotFound

from gateway import dead_letters

from gateway.pages.door import page
from gateway.pages.forms import Form
from gateway.pages.render import html, redirect
from gateway.web import http


class OversightPages:
    @http("GET", "/audit")
    @page("audit.history", purpose="監査")
    def page_audit(self, request, session):
        """支援経過の再生 — a household's history as the ledger knew it at the end of a day."""
        form = Form(request.args)
        household, as_of = self._audit_query(form) if form.get("household_id") else (None, None)
        history = None
        if household and form.ok:
            ledger = self.instances[self.instances.one_of("audit")]
            history = ledger.history({"household_id": household, **({"as_of": as_of} if as_of else {})})
        return html("audit.html", status=200 if form.ok else 422, session=session, form=form,
                    errors=form.errors, history=history)

    @staticmethod
    def _audit_query(form: Form):
        try:
            household = str(UUID(form.get("household_id")))
        except ValueError:
            form.refuse("household_id", "世帯IDは記録に表示されているID（36文字）を入力してください")
            return None, None
        day = form.get("as_of")
        if not day:
            return household, None
        try:  # the end of that day in Japan: what the ledger knew by then
            end = datetime.combine(datetime.fromisoformat(day).date() + timedelta(days=1), time(), JST)
        except ValueError:
            form.refuse("as_of", "時点は日付（例: 2026-04-01）で入力してください")
            return household, None
        return household, (end - timedelta(microseconds=1)).isoformat()

    @http("GET", "/audit/reads")
    @page("audit.reads", purpose="閲覧記録の確認")
    def page_read_log_form(self, request, session):
        return html("audit_reads.html", session=session, form=Form({}), errors={}, reads=None)

    @http("POST", "/audit/reads")
    @page("audit.reads", purpose="閲覧記録の確認")
    def page_read_log(self, request, session):
        """閲覧記録 — who read which household's details, searched by the reader and/or the
        household (POSTed: a name typed never goes into a URL)."""
        form = Form(request.form)
        staff = form.optional_text("staff", "閲覧した職員", 100)
        household = form.get("household_id")
        if household:
            try:
                household = str(UUID(household))
            except ValueError:
                form.refuse("household_id", "世帯IDは記録に表示されているID（36文字）を入力してください")
        if form.ok and not (staff or household):
            form.refuse("staff", "閲覧した職員か世帯IDのどちらかを入力してください")
        if not form.ok:
            return html("audit_reads.html", status=422, session=session, form=form, errors=form.errors, reads=None)
        ledger = self.instances[self.instances.one_of("audit")]
        reads = ledger.read_log({k: v for k, v in (("staff", staff), ("household_id", household)) if v})
        return html("audit_reads.html", session=session, form=form, errors={}, reads=reads)

    @http("GET", "/system")
    @page("instances.health", purpose="稼働状況の確認")
    def page_system(self, request, session):
        health = [self.instances[i].health() for i in sorted(self.instances.known)]
        letters = {i: self._dead_letters(i) for i in sorted(self.instances.known)}
        replayed = request.args.get("replayed", "")
        return html("system.html", session=session, health=health, letters=letters,
                    replayed=int(replayed) if replayed.isdigit() else None)

    def _dead_letters(self, instance: str):
        try:
            return dead_letters.peek(self.kasane.settings.broker, instance)
        except Exception:  # noqa: BLE001 — the page still shows the rest; the cell says so
            return None

    @http("POST", "/system/dead-letters/<instance>/replay")
    @page("dead_letters.replay", purpose="デッドレターの再送")
    def page_replay_dead_letters(self, request, session, instance):
        """再送 — one of the organisation's own instances only (another's is not found)."""
        if instance not in self.instances.known:
            raise NotFound("この組織のインスタンスではありません")
        count = dead_letters.replay_all(self.kasane.settings.broker, instance)
        return redirect(f"/system?replayed={count}")
