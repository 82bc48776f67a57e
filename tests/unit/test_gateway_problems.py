"""エラー応答: the gateway's one mapping from errors to HTTP problems (RFC 9457)."""
import json

import pytest
from amqp.exceptions import RecoverableConnectionError
from kombu.exceptions import OperationalError

from gateway.problems import problem_for


@pytest.mark.parametrize("lost", [OperationalError("[Errno 111] Connection refused 見本 ハナ"),
                                  RecoverableConnectionError("connection already closed"),
                                  ConnectionResetError("reset by peer")])
def test_a_broker_lost_during_a_call_is_a_503_to_try_again_and_its_message_is_not_shown(lost):
    response = problem_for(lost)
    body = json.loads(response.get_data(as_text=True))
    assert response.status_code == 503 and body["title"] == "一時的に利用できません"
    assert "見本" not in response.get_data(as_text=True) and "Errno" not in body["detail"]


def test_an_unexpected_failure_is_still_a_500_without_its_message():
    response = problem_for(ValueError("見本 ハナ"))
    assert response.status_code == 500 and "見本" not in response.get_data(as_text=True)
