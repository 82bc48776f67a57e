"""The event store of one service instance (イベントストア): eventsourcing on PostgreSQL."""
