"""The program's controlled vocabulary (用語): wire codes and the Japanese labels caseworkers read,
split by business line. Codes travel in events and contracts (these are wire enums, hence
here, beside the contracts); labels are what screens, reports and the demo print. Every
list cites the seed it comes from (../shared/seeds, see DOMAIN.md §3 and §9).
"""
from kasane_contracts.vocabulary.common import *  # noqa: F401,F403
from kasane_contracts.vocabulary.consultation import *  # noqa: F401,F403
from kasane_contracts.vocabulary.collaboration import *  # noqa: F401,F403
from kasane_contracts.vocabulary.outreach import *  # noqa: F401,F403
from kasane_contracts.vocabulary.participation import *  # noqa: F401,F403
from kasane_contracts.vocabulary.community import *  # noqa: F401,F403
from kasane_contracts.vocabulary.report import *  # noqa: F401,F403
