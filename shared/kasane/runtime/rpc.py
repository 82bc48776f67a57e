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

Answers (応答) are sent neither persistent nor confirmed: an answer lives only as long as its
caller waits on its reply queue, so writing it to the broker's disk and waiting for the broker's
confirm guarded nothing — a lost answer is a timeout either way — and cost the broker a disk write
and the worker a round trip per call (issue 24).

A request whose `reply_to` the broker would refuse to route an answer to (the rights allow uuid
reply keys only, kasane.bus.access) is neither run nor answered: the refused answer closed the
instance's publishing channel, and the calls in flight beside it were lost with it (any caller
could do this to any instance it may call).
"""
from __future__ import annotations

import logging
import re

from nameko.amqp.publish import Publisher
from nameko.constants import (AMQP_SSL_CONFIG_KEY, AMQP_URI_CONFIG_KEY, DEFAULT_SERIALIZER,
                              LOGIN_METHOD_CONFIG_KEY, NON_PERSISTENT, SERIALIZER_CONFIG_KEY)
from nameko.rpc import Responder, Rpc, RpcConsumer, get_rpc_exchange

from kasane.bus.access import UUID_KEY
from kasane.errors import InfrastructureUnavailable

CALLER_USER = "caller_user"
log = logging.getLogger(__name__)


_ANSWERABLE = re.compile(UUID_KEY)


class _AnswerPublisher(Publisher):
    use_confirms = False
    delivery_mode = NON_PERSISTENT


class _Responder(Responder):
    publisher_cls = _AnswerPublisher


class _AnsweringConsumer(RpcConsumer):
    """nameko's RPC consumer, its answers sent by `_Responder` (its own names `Responder` inline),
    and only to reply keys the broker routes for this instance."""

    def handle_message(self, body, message):
        if not _ANSWERABLE.match(str(message.properties.get("reply_to", ""))):
            log.warning("an RPC request (%s) with a reply key the broker refuses was dropped unanswered",
                        message.delivery_info.get("routing_key"))
            self.queue_consumer.ack_message(message)
            return
        super().handle_message(body, message)

    def handle_result(self, message, result, exc_info):
        config = self.container.config
        responder = _Responder(config[AMQP_URI_CONFIG_KEY], get_rpc_exchange(config),
                               config.get(SERIALIZER_CONFIG_KEY, DEFAULT_SERIALIZER), message,
                               ssl=config.get(AMQP_SSL_CONFIG_KEY),
                               login_method=config.get(LOGIN_METHOD_CONFIG_KEY))
        result, exc_info = responder.send_response(result, exc_info)
        self.queue_consumer.ack_message(message)
        return result, exc_info


class VouchedRpc(Rpc):
    rpc_consumer = _AnsweringConsumer()

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
