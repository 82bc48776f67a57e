"""相談受付票 — the intake form read into the consultation service's command and the consent
recorded on the same page (DOMAIN.md §9: 相談受付票 — 相談者, 世帯員, 相談経路, 主訴と課題, 同意)."""
from __future__ import annotations

from kasane.clock import now
from kasane.vocabulary import (CHANNELS, CONSENT_GIVEN_BY, CONSENT_METHODS, CONSENT_PURPOSES,
                               CONSULTED_BY, ISSUE_CATEGORIES, RELATIONS, URGENCY)

from gateway.pages.forms import Form

PERSON_ROWS = 3  # 本人 and up to two more persons concerned; a later intake may add others
CONSENT_YES, CONSENT_NO = "yes", "no"


def read_intake(form: Form, agency: dict, areas: dict) -> tuple[dict, dict | None]:
    """(the intake command, the consent to record for 本人 or None); form.errors when refused.
    `areas`: the 日常生活圏域 of the desk's directory copy (id -> name), one of which may be chosen."""
    household = form.get("household_id")
    command = {
        "agency": agency, "received_at": now().isoformat(),
        "area": form.choice("area", "日常生活圏域", areas, required=False) if areas else None,
        "channel": form.choice("channel", "相談経路", CHANNELS),
        "consulted_by": form.choice("consulted_by", "相談者", CONSULTED_BY),
        "persons": [p for p in (_person(form, i) for i in range(PERSON_ROWS)) if p],
        "summary": form.optional_text("summary", "相談内容"),
        "issue_categories": _topics(form),
        "urgency": form.choice("urgency", "緊急度", URGENCY, required=False) or "normal",
        **({"household_id": household} if household else {"new_household": True}),
    }
    return command, read_consent(form)


def _person(form: Form, i: int) -> dict | None:
    label = "本人" if i == 0 else f"世帯員{i}"
    person = {"name": form.name(f"p{i}_name", f"{label}の氏名", required=i == 0),
              "kana": form.kana(f"p{i}_kana", f"{label}のふりがな"),
              "birth_date": form.birth_date(f"p{i}_birth", f"{label}の生年月日"),
              "relation": "self" if i == 0 else (form.choice(f"p{i}_relation", f"{label}の続柄", RELATIONS,
                                                            required=False) or "unknown")}
    if i and not (person["name"] or person["kana"]):
        return None
    birth = person["birth_date"]
    return {**person, "birth_date": birth.isoformat() if birth else None}


def _topics(form: Form) -> list[str]:
    """主訴 (the one main topic) first, then the other categories checked."""
    main = form.choice("main_topic", "主訴（主な相談内容）", ISSUE_CATEGORIES)
    others = form.choices("categories", "その他の課題", ISSUE_CATEGORIES)
    return [main] + [c for c in others if c != main] if main else others


def read_consent(form: Form) -> dict | None:
    """本人同意 as the form says it: who gave it, how, for which purposes (None: not given)."""
    given = form.choice("consent", "本人同意", {CONSENT_YES: "", CONSENT_NO: ""})
    if given != CONSENT_YES:
        return None
    return {"given_by": form.choice("consent_given_by", "同意した人", CONSENT_GIVEN_BY),
            "method": form.choice("consent_method", "同意の方法", CONSENT_METHODS),
            "purposes": form.choices("consent_purposes", "同意の範囲（目的）", CONSENT_PURPOSES, at_least_one=True),
            "organisations": []}


def consent_command(consent: dict, taken: dict, agency: dict, caseworker: str) -> dict:
    """The consent of 本人 (the first person of the intake) on the household just taken in."""
    return {**consent, "household_id": taken["household_id"], "person_id": taken["person_ids"][0],
            "given_at": now().isoformat(), "caseworker_id": caseworker, "agency": agency}
