"""The message bus (RabbitMQ): topology, the outbox relay, the inbox consumer, administration."""
