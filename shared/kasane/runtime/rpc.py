"""RPC whose caller the broker vouches for (発信者の確認).

nameko's `rpc` entrypoint, plus the AMQP `user_id` of the request: RabbitMQ refuses a message
whose `user_id` is not the connection's own user (validated user-id), so — unlike the context
headers, which the caller writes — it cannot be forged. The entrypoint puts it in the worker's
context as `caller_user`, over anything a header of that name claimed.

A request the broker delivers again (再配信: its first delivery was never acknowledged because
the connection broke, or the instance died, while or before it ran) is not run again: it may
have taken effect already, and a command whose answer never came takes effect at most once
(found by the fault campaign, issue 22: an intake stored twice after a broker stop). The caller,
if it still waits, is answered with InfrastructureUnavailable, as for any lost answer.
"""
from __future__ import annotations

import logging

from nameko.rpc import Rpc

from kasane.errors import InfrastructureUnavailable

CALLER_USER = "caller_user"
log = logging.getLogger(__name__)


class VouchedRpc(Rpc):
    def handle_message(self, body, message):
        if message.delivery_info.get("redelivered"):
            # nameko's consumer answers the caller with this error and acknowledges the request.
            log.warning("an RPC request delivered again (%s) was not run again: it may have run already",
                        self.method_name)
            raise InfrastructureUnavailable("この要求は再配信されたため実行しませんでした（既に実行された可能性があります）"
                                            " (a redelivered request is not run again)")
        return super().handle_message(body, message)

    def unpack_message_headers(self, message):
        context = super().unpack_message_headers(message)
        context.pop(CALLER_USER, None)  # a header may claim it; only the broker's word counts
        user = message.properties.get("user_id")
        if user:
            context[CALLER_USER] = user.decode() if isinstance(user, bytes) else str(user)
        return context


rpc = VouchedRpc.decorator
