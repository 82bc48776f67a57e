"""地域づくり事業 — the community building service (社会福祉法106条の4第2項第3号)."""
