"""エラー応答 — kasane's errors as HTTP status codes and RFC 9457 problem details, in Japanese,
mapped here once. A problem never carries a person's details: only a title, a sentence fit for
staff, and (for a refused command) the names of the fields at fault with marshmallow's reasons,
which never repeat what was typed."""
from __future__ import annotations

import json
import logging

from amqp.exceptions import RecoverableConnectionError
from kombu.exceptions import OperationalError as BrokerUnreachable
from nameko.exceptions import UnknownService
from werkzeug.wrappers import Response

from kasane.errors import DomainRuleViolation, InfrastructureUnavailable, InvalidCommand, NotFound

from collaboration.domain.rules import NotAMember
from gateway.accounts import SignInRefused
from gateway.domain.sessions import SessionRefused

log = logging.getLogger(__name__)
PROBLEM_TYPE = "https://kasane.example/problems/"


class Forbidden(Exception):
    """The signed-in person's roles do not allow this endpoint."""


class CsrfRefused(Exception):
    """A state-changing request without the session's CSRF token."""


class BadRequest(Exception):
    """The request itself is malformed (not JSON, not an object)."""


SIGN_IN_DETAIL = {
    "code_required": ("second-factor-required", "確認コード（二要素認証）を入力してください"),
    "second_factor_not_enrolled": ("second-factor-not-enrolled",
                                   "この役割には二要素認証の登録が必要です。管理者に連絡してください"),
}

# (status, type, title, detail) per kind of error; detail None: the error's own message.
_TABLE = [
    (SessionRefused, 401, "unauthenticated", "ログインが必要です", "ログインしてください（セッションがないか、期限が切れています）"),
    (CsrfRefused, 403, "csrf", "要求を受け付けられません", "画面を読み込み直してから、もう一度操作してください（CSRFトークンがありません）"),
    (Forbidden, 403, "forbidden", "権限がありません", "この操作はあなたの役割では行えません"),
    (BadRequest, 400, "bad-request", "要求の形式が正しくありません", "JSONのオブジェクトを送ってください"),
    (InvalidCommand, 422, "invalid-command", "入力内容に誤りがあります", "次の項目を確認してください"),
    (NotAMember, 403, "not-a-member", "閲覧できません",
     "支援会議の記録は、その会議の構成員（守秘義務を確認した者）だけが閲覧できます（社会福祉法第106条の6）"),
    (NotFound, 404, "not-found", "見つかりません", "指定されたものは、この組織のインスタンスにはありません"),
    (DomainRuleViolation, 409, "rule", "業務上のルールにより受け付けられません", None),
    (UnknownService, 503, "unavailable", "一時的に利用できません", "しばらくしてからもう一度お試しください"),
    (InfrastructureUnavailable, 503, "unavailable", "一時的に利用できません", "しばらくしてからもう一度お試しください"),
    # the broker lost in the middle of a call (found by the fault campaign): a wait, not a defect
    ((BrokerUnreachable, RecoverableConnectionError, ConnectionError), 503, "unavailable", "一時的に利用できません",
     "しばらくしてからもう一度お試しください"),
]


def problem(status: int, kind: str, title: str, detail: str, **extra) -> Response:
    body = {"type": PROBLEM_TYPE + kind, "title": title, "status": status, "detail": detail, **extra}
    return Response(json.dumps(body, ensure_ascii=False), status=status,
                    content_type="application/problem+json; charset=utf-8")


def problem_for(exc: Exception) -> Response:
    if isinstance(exc, SignInRefused):
        kind, detail = SIGN_IN_DETAIL.get(exc.reason, ("sign-in-refused", "ログインできませんでした。"
                                                       "ログインID・パスワード・確認コードを確かめてください"))
        return problem(401, kind, "ログインできません", detail)
    for error, status, kind, title, detail in _TABLE:
        if isinstance(exc, error):
            extra = {"errors": _field_reasons(exc)} if isinstance(exc, InvalidCommand) else {}
            return problem(status, kind, title, detail or _rule_detail(exc), **extra)
    if _is_kasane(exc):  # (a RemoteError, an unexpected failure in an instance, is a 500 below)
        log.warning("refused by an instance: %s", type(exc).__name__)
        return problem(409, "rule", "業務上のルールにより受け付けられません", _rule_detail(exc))
    log.error("unexpected error %s", type(exc).__name__, exc_info=exc)  # no message: may hold details
    return problem(500, "internal", "システムエラー", "処理できませんでした。システム管理者に連絡してください")


def _field_reasons(exc: InvalidCommand) -> dict:
    return {str(field): reasons for field, reasons in exc.errors.items()} if isinstance(exc.errors, dict) else {}


def _is_kasane(exc: Exception) -> bool:
    from kasane.errors import KasaneError
    return isinstance(exc, KasaneError)


def _rule_detail(exc: Exception) -> str:
    """A domain rule's own sentence (kasane's messages never hold personal details), else a generic one."""
    message = str(exc) if _is_kasane(exc) else ""
    return message or "この操作は業務上のルールにより受け付けられません"
