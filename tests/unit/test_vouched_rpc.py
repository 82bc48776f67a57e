"""The RPC entrypoint takes the caller's bus user from the broker-validated AMQP user_id only."""
from types import SimpleNamespace

from kasane.runtime.rpc import CALLER_USER, VouchedRpc


def message(headers: dict, **properties):
    return SimpleNamespace(headers=headers, properties=properties)


def unpack(msg) -> dict:
    return VouchedRpc.unpack_message_headers(VouchedRpc.__new__(VouchedRpc), msg)


def test_the_caller_user_is_the_amqp_user_id_of_the_request():
    context = unpack(message({"nameko.reader_organisation": "org-a"}, user_id="kasane-v-org-a"))
    assert context == {"reader_organisation": "org-a", CALLER_USER: "kasane-v-org-a"}


def test_a_header_claiming_a_caller_user_is_dropped_whatever_it_says():
    forged = {"nameko.caller_user": "kasane-v-org-b", "nameko.reader_organisation": "org-b"}
    assert CALLER_USER not in unpack(message(forged))
    assert unpack(message(forged, user_id=b"kasane-v-org-a"))[CALLER_USER] == "kasane-v-org-a"


def test_a_request_the_broker_delivers_again_is_not_run_again_and_its_caller_is_told():
    """A redelivered request may have run already (its first delivery was never acknowledged):
    running it again would store a command's effects twice (issue 22's campaign found an intake
    stored twice after a broker stop). The error goes back to the caller as nameko answers any."""
    import pytest

    from kasane.errors import InfrastructureUnavailable

    entrypoint = VouchedRpc.__new__(VouchedRpc)
    entrypoint.method_name = "receive_consultation"
    again = SimpleNamespace(headers={}, properties={}, delivery_info={"redelivered": True})
    with pytest.raises(InfrastructureUnavailable, match="redelivered"):
        entrypoint.handle_message({"args": [{}], "kwargs": {}}, again)
