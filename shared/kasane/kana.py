"""カナ氏名の照合 — kana compared as the desks' household search compares it (consultation) and as
多機関協働 notices a likely same person across referrals: after NFKC, hiragana→katakana and
without spaces or middle dots, so ｶﾀｶﾅ, ひらがな and 「ヤマダ　タロウ」 are the same name."""
from __future__ import annotations

import unicodedata

_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in range(0x3041, 0x3097)}
_IGNORED = {" ", "\u3000", "・", "･", "-", "‐"}


def kana_key(kana: str | None) -> str | None:
    if not kana:
        return None
    text = unicodedata.normalize("NFKC", kana).translate(_HIRAGANA_TO_KATAKANA)
    return "".join(ch for ch in text if ch not in _IGNORED) or None
