"""Two processes on one PostgreSQL: a sign-in made by one is honoured by the other."""

from __future__ import annotations

import multiprocessing

from services.core import accounts
from services.core.accounts import Grant, Role
from services.core.db import unit_of_work


def _sign_in_elsewhere(url: str, queue) -> None:  # runs in a separate process
    import os

    from tests.conftest import TEST_SECRET, reset_process_caches

    os.environ["DATABASE_URL"] = url
    os.environ["PORTAL_SECRET_KEY"] = TEST_SECRET
    reset_process_caches()
    with unit_of_work() as session:
        user = accounts.create_user(
            session,
            actor_name="test",
            username="remote",
            display_name="Remote",
            password="Correct-horse-9",
            grants=[Grant(Role.DATA_EDITOR)],
        )
        queue.put(accounts.open_session(session, user=user).token)


def test_a_session_opened_by_another_process_is_seen_here(engine, database_url):
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    worker = context.Process(target=_sign_in_elsewhere, args=(database_url, queue))
    worker.start()
    token = queue.get(timeout=60)
    worker.join(timeout=60)
    assert worker.exitcode == 0
    with unit_of_work(engine) as session:
        actor = accounts.actor_for_token(session, token=token)
    assert actor is not None and actor.roles == {Role.DATA_EDITOR}
