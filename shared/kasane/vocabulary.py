"""Moved: the controlled vocabulary is wire enums, now `kasane_contracts.vocabulary` (split by
business line). This name stays only while branches written before the move are merged."""
from kasane_contracts.vocabulary import *  # noqa: F401,F403
