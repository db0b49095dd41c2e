"""Exact counts under real concurrency on PostgreSQL: poll votes, proposal supports and
comment reactions, with many participants at once, duplicates and a poll closing while
votes arrive. Skipped on SQLite, which serialises every write anyway."""

import random
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection

from participation.comments.models import Comment, Reaction
from participation.comments.services import comment_create, reaction_toggle
from participation.polls.models import PollVote
from participation.polls.results import poll_result
from participation.polls.services import VoteRefused, poll_close, poll_vote_cast
from participation.proposals.models import Proposal, Support
from participation.proposals.services import proposal_create, proposal_support
from tests.participation.polls.conftest import add_poll

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrency"
    ),
]

PARTICIPANTS = 1000
TWICE = 200  # 20 % try a second time
WORKERS = 24


def people(count: int, prefix: str):
    User = get_user_model()
    User.objects.bulk_create(
        User(
            username=f"{prefix}{n}", email=f"{prefix}{n}@example.org", display_name=f"{prefix} {n}"
        )
        for n in range(count)
    )
    return list(User.objects.filter(username__startswith=prefix).order_by("pk"))


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


@pytest.fixture
def coalesced_results(settings):
    """Live results as in production (a few per second), not one per vote as in other tests."""
    from participation.polls.live import coalescer

    settings.POLL_LIVE_UPDATES_PER_SECOND = 4
    published: list[tuple[int, bool, dict]] = []
    original = coalescer.publish

    def publish(poll_id, final):
        from participation.polls.models import Poll

        original(poll_id, final)
        published.append((poll_id, final, poll_result(Poll.objects.get(pk=poll_id)).as_dict()))

    coalescer.publish = publish
    yield published
    coalescer.publish = original
    coalescer.cancel_all()


def test_one_vote_per_participant_with_duplicates_changes_and_a_concurrent_close(
    make_consultation, coalesced_results
):
    page = make_consultation("open")
    final = add_poll(page, allow_change=False)
    changeable = add_poll(page, allow_change=True, question="Und die Nebenstraßen?")
    voters = people(PARTICIPANTS, "voter")
    rng = random.Random(7)
    final_ids = [c.pk for c in final.choices.all()]
    change_ids = [c.pk for c in changeable.choices.all()]

    outcomes: list[tuple[str, int, int, str]] = []  # (poll, user, choice, outcome)
    lock = threading.Lock()

    def vote(poll, user, choice):
        def job():
            try:
                poll_vote_cast(user=user, poll=poll, choices=[choice])
                outcome = "ok"
            except VoteRefused as refused:
                outcome = refused.code
            with lock:
                outcomes.append((poll.question, user.pk, choice, outcome))

        return job

    jobs = []
    for user in voters:
        jobs.append(vote(final, user, rng.choice(final_ids)))
        jobs.append(vote(changeable, user, rng.choice(change_ids)))
    for user in rng.sample(voters, TWICE):
        jobs.append(vote(final, user, rng.choice(final_ids)))
        jobs.append(vote(changeable, user, rng.choice(change_ids)))
    rng.shuffle(jobs)
    # The changeable poll is closed while the votes are still coming in.
    closer_at = int(len(jobs) * 0.8)
    jobs.insert(closer_at, lambda: poll_close(poll=changeable) and None)

    started = time.monotonic()
    run_concurrently(jobs)
    elapsed = time.monotonic() - started

    # The final poll: exactly one vote per participant, every second try refused clearly.
    final_outcomes = [o for o in outcomes if o[0] == final.question]
    accepted = [o for o in final_outcomes if o[3] == "ok"]
    assert len(accepted) == PARTICIPANTS
    assert Counter(o[3] for o in final_outcomes) == {"ok": PARTICIPANTS, "duplicate": TWICE}
    assert PollVote.objects.filter(poll=final).count() == PARTICIPANTS
    expected = Counter(choice for _q, _u, choice, outcome in accepted)
    result = poll_result(final)
    assert {o.choice_id: o.votes for o in result.options} == {c: expected[c] for c in final_ids}

    # The changeable poll: what was accepted before the close counts, each person's last
    # accepted vote; everything after the close was refused, and nothing is half-counted.
    change_outcomes = [o for o in outcomes if o[0] == changeable.question]
    assert {o[3] for o in change_outcomes} <= {"ok", "closed"}
    assert any(o[3] == "closed" for o in change_outcomes)
    stored = {
        vote.user_id: vote.answers.get().choice_id
        for vote in PollVote.objects.filter(poll=changeable).prefetch_related("answers")
    }
    voted = {user for _q, user, _c, outcome in change_outcomes if outcome == "ok"}
    assert set(stored) == voted
    recount = poll_result(changeable)
    assert recount.participants == len(voted)
    assert {o.choice_id: o.votes for o in recount.options} == {
        c: sum(1 for v in stored.values() if v == c) for c in change_ids
    }
    # What was published when the poll closed is this recount.
    closing = [
        data for poll_id, final, data in coalesced_results if poll_id == changeable.pk and final
    ]
    assert closing == [recount.as_dict()]
    # Live updates were coalesced, not one per vote: per poll at most the configured rate over
    # the time the votes took (plus the leading update and the closing one), however slow the
    # machine; and far fewer than one per vote.
    for poll in (final, changeable):
        updates = [r for r in coalesced_results if r[0] == poll.pk]
        assert len(updates) <= elapsed * 4 + 2
        assert len(updates) < sum(1 for o in outcomes if o[0] == poll.question) / 2
    # Every accepted vote's choice is one the person actually sent.
    sent = {(u, c) for _q, u, c, outcome in change_outcomes if outcome == "ok"}
    assert all((user, choice) in sent for user, choice in stored.items())


def test_one_support_per_person_counted_exactly(make_consultation):
    page = make_consultation("open")
    author, *supporters = people(PARTICIPANTS + 1, "supporter")
    proposal = proposal_create(
        author=author,
        consultation=page,
        title="Mehr Bänke im Park",
        body="Mehr Bänke zum Ausruhen entlang der Wege im Park.",
        tags=[],
    )
    refused = Counter()
    lock = threading.Lock()

    def support(user):
        def job():
            try:
                proposal_support(user=user, proposal=proposal)
            except ValidationError:
                with lock:
                    refused[user.pk] += 1

        return job

    rng = random.Random(11)
    jobs = [support(u) for u in supporters] + [support(u) for u in rng.sample(supporters, TWICE)]
    rng.shuffle(jobs)
    run_concurrently(jobs)

    assert sum(refused.values()) == TWICE
    assert Support.objects.filter(proposal=proposal).count() == PARTICIPANTS
    assert Proposal.objects.get(pk=proposal.pk).support_count == PARTICIPANTS


def test_reaction_counts_equal_the_stored_reactions(make_consultation):
    page = make_consultation("open")
    author, *readers = people(PARTICIPANTS + 1, "reader")
    comment = comment_create(author=author, consultation=page, body="Gute Idee!")
    rng = random.Random(13)
    kinds = {user.pk: rng.choice(["agree", "disagree", "helpful"]) for user in readers}

    def react(user):
        return lambda: reaction_toggle(user=user, comment=comment, kind=kinds[user.pk])

    jobs = [react(u) for u in readers] + [react(u) for u in rng.sample(readers, TWICE)]
    rng.shuffle(jobs)
    run_concurrently(jobs)

    stored = Comment.objects.get(pk=comment.pk)
    rows = Counter(Reaction.objects.filter(comment=comment).values_list("kind", flat=True))
    assert stored.agree_count == rows["agree"]
    assert stored.disagree_count == rows["disagree"]
    assert stored.helpful_count == rows["helpful"]
    # A second toggle takes the reaction back, unless both ran at the same moment: then the
    # constraint lets one in and the other finds it there. Nobody has two of a kind.
    assert PARTICIPANTS - TWICE <= sum(rows.values()) <= PARTICIPANTS
    assert Reaction.objects.filter(comment=comment).values("user").distinct().count() == sum(
        rows.values()
    )
