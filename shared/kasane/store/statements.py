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


def run_statements(datastore, statements) -> list[list]:
    """Several independent (statement, params) in one round trip — sent together in one pipeline,
    answered after one sync — and their rows, in order. Each statement reads its own snapshot,
    as it would one round trip after the other; if one fails, the ones after it do not run."""
    with datastore.get_connection() as connection:
        with connection.pipeline():
            cursors = [connection.execute(statement, params) for statement, params in statements]
        return [cursor.fetchall() if cursor.description else [] for cursor in cursors]
