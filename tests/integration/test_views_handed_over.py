"""手渡し to the views: a follower of the log takes this process's commits as they were handed to
it, without decoding them again, and reads from the log what another process committed between
them — every event once, in the log's order (kasane.store.offers, kasane.store.log_follower)."""
import pytest

from kasane.store.application import KasaneApplication, postgres_env
from kasane.store.log_follower import LogFollower
from kasane.store.trace import Trace

from tests.store_helpers import Note, open_store

pytestmark = pytest.mark.integration


class Seen:
    def __init__(self):
        self.texts: list[str] = []

    def apply(self, domain_event) -> None:
        self.texts.append(domain_event.text)


def test_a_view_takes_its_own_processs_commits_as_handed_and_reads_the_others_from_the_log(
        platform, unique, monkeypatch):
    deployed, app = open_store(platform, "collaboration", f"handed-{unique}")
    other = KasaneApplication(env=postgres_env(deployed.settings, pool_size=1))
    seen = Seen()
    follower = LogFollower(app, [seen])
    decoded = []
    to_domain_event = app.mapper.to_domain_event
    monkeypatch.setattr(app.mapper, "to_domain_event", lambda n: decoded.append(n.id) or to_domain_event(n))
    try:
        for text in ("一", "二"):
            app.save_traced(Note(text), trace=Trace.for_command())
        follower.catch_up()
        other.save_traced(Note("他"), trace=Trace.for_command())  # another process: nothing handed over
        app.save_traced(Note("三"), trace=Trace.for_command())
        follower.catch_up()
        follower.catch_up()
    finally:
        other.close()
        app.close()
    assert seen.texts == ["一", "二", "他", "三"]
    assert decoded == [3, 4]  # the other's, and the one after the gap: read from the log


def test_a_page_read_along_another_round_trip_catches_the_views_up_and_a_full_page_reads_on(platform, unique):
    """What the inbox consumer does in its batch's round trip: the statement `log_after` gives,
    its rows handed to `take_page`; a full page means more may follow, read at once."""
    from kasane.store.statements import run_statements

    deployed, app = open_store(platform, "collaboration", f"paged-{unique}")
    other = KasaneApplication(env=postgres_env(deployed.settings, pool_size=1))
    seen = Seen()
    follower = LogFollower(app, [seen], page_size=2)
    try:
        for text in ("一", "二", "三"):
            other.save_traced(Note(text), trace=Trace.for_command())
        rows, = run_statements(app.recorder.datastore, [follower.log_after()])
        assert len(rows) == 2
        app.save_traced(Note("四"), trace=Trace.for_command())  # this process's, handed over
        assert follower.take_page(rows) == 4
    finally:
        other.close()
        app.close()
    assert seen.texts == ["一", "二", "三", "四"]
