"""`kasane audit verify [--json]` — check every instance's chain and signed checkpoints.

Exit status 0 only when everything holds. Faults are reported by instance, position and kind
(altered, removed, reordered, inserted, chain_broken, signature_invalid, checkpoint_mismatch,
checkpoint_missing). Nothing personal is printed: only positions and kinds.
"""
from __future__ import annotations

import json
import sys

from kasane.audit.verify import registered_public_key, verify_instance
from kasane.deployment import load_deployment


def verify(as_json: bool = False, out=sys.stdout) -> int:
    verdicts = [verify_instance(d.settings, registered_public_key(d.settings.instance))
                for d in load_deployment()]
    holds = all(v.holds for v in verdicts)
    if as_json:
        json.dump({"holds": holds, "instances": [v.as_dict() for v in verdicts]}, out,
                  ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        for v in verdicts:
            state = "OK" if v.holds else f"{len(v.faults)} fault(s)"
            out.write(f"{v.instance}: {v.events} events, head {v.head_position}, "
                      f"{v.checkpoints} signed checkpoint(s) — {state}\n")
            for f in v.faults:
                out.write(f"  position {f.position}: {f.kind} — {f.detail}\n")
        out.write("検証結果: すべて正常\n" if holds else "検証結果: 異常あり\n")
    return 0 if holds else 1
