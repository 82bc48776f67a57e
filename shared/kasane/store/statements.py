"""One statement, one round trip: a read or a single-statement write on the pool's autocommit
connection. eventsourcing's `datastore.transaction()` wraps even one statement in BEGIN … COMMIT
(or ROLLBACK), three round trips where one is enough: a single statement is atomic and reads
one snapshot on its own. Under eventlet every round trip is a green wait, and the write path
is bound by such waits (README, issue 24)."""
from __future__ import annotations


def run_statement(datastore, statement, params=()) -> list:
    """The statement's rows (dicts), or [] for a statement without rows."""
    with datastore.get_connection() as connection:
        cursor = connection.execute(statement, params)
        return cursor.fetchall() if cursor.description else []
