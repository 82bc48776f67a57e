"""RPC whose caller the broker vouches for (発信者の確認).

nameko's `rpc` entrypoint, plus the AMQP `user_id` of the request: RabbitMQ refuses a message
whose `user_id` is not the connection's own user (validated user-id), so — unlike the context
headers, which the caller writes — it cannot be forged. The entrypoint puts it in the worker's
context as `caller_user`, over anything a header of that name claimed.
"""
from __future__ import annotations

from nameko.rpc import Rpc

CALLER_USER = "caller_user"


class VouchedRpc(Rpc):
    def unpack_message_headers(self, message):
        context = super().unpack_message_headers(message)
        context.pop(CALLER_USER, None)  # a header may claim it; only the broker's word counts
        user = message.properties.get("user_id")
        if user:
            context[CALLER_USER] = user.decode() if isinstance(user, bytes) else str(user)
        return context


rpc = VouchedRpc.decorator
