"""kasane (重ね) — the service kernel shared by every business-line service.

Import `kasane.greening` first in any process that runs nameko: it applies eventlet's
monkey patch and makes psycopg wait cooperatively (../shared/PITFALLS.md, eventlet and psycopg).
"""

import warnings

# eventlet 0.41 warns on import that it is in maintenance mode; the choice is recorded in the
# README's architecture section, so the warning is not repeated to every user.
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
