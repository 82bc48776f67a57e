"""プランの決まり (kasane.plan_rules): what every outreach and participation plan states."""
from datetime import date

import pytest

from kasane.plan_rules import check_plan


class PlanRefused(Exception):
    pass


def test_a_plan_states_a_goal_and_review_dates_after_its_day_which_come_back_sorted_once_each():
    made = date(2026, 5, 1)
    later, latest = date(2026, 8, 1), date(2026, 11, 1)
    assert check_plan(["通所を続ける"], [latest, later, latest], made, PlanRefused) == [later, latest]
    with pytest.raises(PlanRefused, match="at least one goal"):
        check_plan(["", "  "], [later], made, PlanRefused)
    with pytest.raises(PlanRefused, match="at least one review date"):
        check_plan(["通所を続ける"], [], made, PlanRefused)
    with pytest.raises(PlanRefused, match="review dates fall after"):
        check_plan(["通所を続ける"], [made, later], made, PlanRefused)
