"""職員の画面 — the caseworkers' web application, rendered on the server (Jinja2, autoescaped) by
the organisation's gateway. It works without JavaScript: every action is a form with the
session's CSRF token; nothing personal goes into a URL (searches are POSTed, households and
consultations are named by their opaque ids)."""
