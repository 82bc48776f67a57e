"""What the gateway answers about sessions and staff, and the staff commands it accepts."""
from __future__ import annotations

from marshmallow import fields, validate

from kasane.runtime.commands import CommandSchema, load_command

from gateway.domain.roles import ROLES
from gateway.domain.sessions import Session

LOGIN = validate.Regexp(r"^[A-Za-z0-9._-]{1,64}$", error="半角英数字と . _ - で64文字以内")


class AddStaffSchema(CommandSchema):
    login = fields.String(required=True, validate=LOGIN)
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    roles = fields.List(fields.String(validate=validate.OneOf(ROLES)), load_default=list)


class GrantSchema(CommandSchema):
    role = fields.String(required=True, validate=validate.OneOf(ROLES))


SCHEMAS = {"add": AddStaffSchema, "grant": GrantSchema}


def staff_command(body: dict, session: Session, kind: str):
    return load_command(SCHEMAS[kind](), body,
                        actor={"staff_id": session.staff_id, "organisation": session.organisation})


def session_view(session: Session) -> dict:
    """Who is signed in, and the token to send back on every state-changing request."""
    return {"staff_id": session.staff_id, "login": session.login, "name": session.name, "organisation": session.organisation,
            "roles": list(session.roles), "csrf_token": session.csrf_token,
            "started_at": session.started_at.isoformat(), "expires_at": _expires(session)}


def _expires(session: Session) -> str:
    from gateway.domain.sessions import ABSOLUTE_TIMEOUT
    return min(session.last_seen + session.idle_timeout, session.started_at + ABSOLUTE_TIMEOUT).isoformat()
