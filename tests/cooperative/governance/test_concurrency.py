"""Vote integrity under real concurrency on PostgreSQL: 500 eligible members vote at once,
20 % try a second time, some vote through proxies, and one ballot closes while votes
arrive. Skipped on SQLite, which serialises every write anyway.

Prints the figures (votes per second, time to close and tally); run with -s to see them.
"""

import random
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from cooperative.audit.selectors import audit_chain_verify
from cooperative.governance.models import (
    Ballot,
    Proxy,
    SecretChoice,
    SecretParticipation,
    Vote,
)
from cooperative.governance.services import (
    VoteRefused,
    ballot_close,
    ballot_count,
    ballot_tally,
    ballot_vote_cast,
    proxy_grant,
)
from tests.cooperative.governance.helpers import bulk_members, open_ballot, supported_motion

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrency"
    ),
]

MEMBERS = 500
TWICE = 100  # 20 % try a second time
HOLDERS = 30  # each asked by three principals: two get in, the third is refused
WORKERS = 16


def run_concurrently(jobs):
    """Run every job on a pool of threads, each with its own database connection: a thread
    opens it before the first job and keeps it for all of them (as a server's worker
    does), and every thread closes its own at the end."""
    start = threading.Barrier(WORKERS)
    done = threading.Barrier(WORKERS)

    def warm(_):
        connection.ensure_connection()
        start.wait()  # every worker is connected before the first job runs

    def close(_):
        # The barrier keeps each thread to one of these, so every connection is closed.
        done.wait()
        connection.close()

    with ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(warm, range(WORKERS)))
        try:
            return list(pool.map(lambda job: job(), jobs))
        finally:
            list(pool.map(close, range(WORKERS)))


def _attempt(outcomes, lock, *, user, ballot, member, choice, proxy=None, tag):
    def job():
        try:
            ballot_vote_cast(user=user, ballot=ballot, member=member, choice=choice, proxy=proxy)
            outcome, message = "ok", ""
        except VoteRefused as refused:
            outcome, message = refused.code, refused.messages[0]
        with lock:
            outcomes.append((tag, member.pk, choice, outcome, message))

    return job


def _proxies(ballot, members, rng):
    """Principals ask holders for a proxy all at once; each holder takes exactly two."""
    holders = members[:HOLDERS]
    principals = members[HOLDERS : HOLDERS * 4]
    refused = Counter()
    lock = threading.Lock()

    def ask(principal, holder):
        def job():
            try:
                proxy_grant(ballot=ballot, principal=principal, holder=holder, by=principal.user)
            except ValidationError as error:
                with lock:
                    refused[error.code] += 1

        return job

    jobs = [ask(p, holders[n % HOLDERS]) for n, p in enumerate(principals)]
    rng.shuffle(jobs)
    run_concurrently(jobs)
    return refused


def _vote_jobs(ballot, members, rng, outcomes, lock):
    by_member = {m.pk: m for m in members}
    proxies = {p.principal_id: p for p in Proxy.objects.filter(ballot=ballot)}
    jobs = []
    for member in members:
        choice = rng.choice(["yes", "yes", "no", "abstain"])
        proxy = proxies.get(member.pk)
        if proxy is None:
            jobs.append(
                _attempt(
                    outcomes,
                    lock,
                    user=member.user,
                    ballot=ballot,
                    member=member,
                    choice=choice,
                    tag="first",
                )
            )
        else:
            holder = by_member[proxy.holder_id]
            jobs.append(
                _attempt(
                    outcomes,
                    lock,
                    user=holder.user,
                    ballot=ballot,
                    member=member,
                    choice=choice,
                    proxy=proxy,
                    tag="first",
                )
            )
    for member in rng.sample(members, TWICE):
        # A second try: in person, also by principals whose holder votes for them.
        jobs.append(
            _attempt(
                outcomes,
                lock,
                user=member.user,
                ballot=ballot,
                member=member,
                choice=rng.choice(["yes", "no"]),
                tag="again",
            )
        )
    rng.shuffle(jobs)
    return jobs


def test_one_member_one_vote_with_duplicates_proxies_and_a_close_while_voting(capsys):
    members = bulk_members(MEMBERS, "genosse")
    rng = random.Random(5)
    motion = supported_motion(members[0], members[1:3])
    ballot = open_ballot(motion, closes_at=timezone.now() + timedelta(hours=1))
    assert ballot.eligible.count() == MEMBERS

    refused = _proxies(ballot, members, rng)
    assert refused == {"holder_full": HOLDERS}
    held = Counter(Proxy.objects.filter(ballot=ballot).values_list("holder_id", flat=True))
    assert max(held.values()) == 2 and len(held) == HOLDERS

    outcomes: list = []
    lock = threading.Lock()
    jobs = _vote_jobs(ballot, members, rng, outcomes, lock)
    started = time.monotonic()
    run_concurrently(jobs)
    vote_seconds = time.monotonic() - started

    # Exactly one vote per eligible member; every second try refused with a clear message.
    assert Counter(o[3] for o in outcomes) == {"ok": MEMBERS, "duplicate": TWICE}
    assert all("bereits" in o[4] for o in outcomes if o[3] == "duplicate")
    proxied = {p.principal_id for p in Proxy.objects.filter(ballot=ballot)}
    messages = {o[4] for o in outcomes if o[3] == "duplicate" and o[1] in proxied}
    assert any("bevollmächtigte Person hat in dieser Abstimmung bereits" in m for m in messages)
    assert Vote.objects.filter(ballot=ballot).count() == MEMBERS
    # Every represented member voted once: through the holder, or in person where their own
    # second try came first (then the holder was refused).
    assert Vote.objects.filter(ballot=ballot, member_id__in=proxied).count() == 2 * HOLDERS
    assert 0 < Vote.objects.filter(ballot=ballot, by_proxy__isnull=False).count() <= 2 * HOLDERS

    accepted = Counter(o[2] for o in outcomes if o[3] == "ok")
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=timezone.now())
    started = time.monotonic()
    ballot_close(ballot=ballot)  # the tally runs right after (immediate task backend)
    close_seconds = time.monotonic() - started
    ballot.refresh_from_db()
    assert ballot.state in (Ballot.State.ENACTED, Ballot.State.REJECTED)
    assert ballot.result["total"] == {k: accepted[k] for k in ("yes", "no", "abstain")}
    assert ballot.result["participants"] == MEMBERS
    assert len(ballot.minutes["votes"]) == MEMBERS

    # A secret ballot that closes while votes are still coming in.
    secret = open_ballot(
        supported_motion(members[3], members[4:6], body="Neue Netiquette.\nOhne Werbung."),
        secret=True,
        closes_at=timezone.now() + timedelta(hours=1),
    )
    _proxies(secret, members, rng)
    outcomes2: list = []
    jobs = _vote_jobs(secret, members, rng, outcomes2, lock)

    def closer():
        Ballot.objects.filter(pk=secret.pk).update(closes_at=timezone.now())
        ballot_close(ballot=secret)

    jobs.insert(int(len(jobs) * 0.8), closer)
    started = time.monotonic()
    run_concurrently(jobs)
    secret_seconds = time.monotonic() - started
    secret.refresh_from_db()
    counted = Counter(o[3] for o in outcomes2)
    assert set(counted) <= {"ok", "duplicate", "closed"}
    assert counted["closed"] > 0
    ok = [o for o in outcomes2 if o[3] == "ok"]
    assert len({o[1] for o in ok}) == len(ok)
    assert SecretParticipation.objects.filter(ballot=secret).count() == len(ok)
    assert SecretChoice.objects.filter(ballot=secret).count() == len(ok)
    assert secret.result["participants"] == len(ok)
    want = Counter(o[2] for o in ok)
    assert secret.result["total"] == {k: want[k] for k in ("yes", "no", "abstain")}
    # Closing and counting again, as often as it may happen, gives the same result.
    first = secret.result
    for _ in range(3):
        ballot_close(ballot=secret)
        ballot_tally(ballot=secret.pk)
        secret.refresh_from_db()
        assert secret.result == first
        assert ballot_count(secret).as_dict() == first

    assert audit_chain_verify().ok
    attempts = len(outcomes)
    figures = (
        f"governance votes: {attempts} attempts ({MEMBERS} accepted, {TWICE} duplicates) in "
        f"{vote_seconds:.2f} s = {attempts / vote_seconds:.0f} votes/s with {WORKERS} threads; "
        f"close + tally of {MEMBERS} votes: {close_seconds * 1000:.0f} ms; "
        f"secret ballot with close while voting: {len(outcomes2)} attempts in "
        f"{secret_seconds:.2f} s = {len(outcomes2) / secret_seconds:.0f} votes/s"
    )
    with capsys.disabled():
        print("\n" + figures)
