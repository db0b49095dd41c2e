"""Casting, changing, withdrawing and counting votes, for every kind of poll."""

import pytest
from django.db import IntegrityError
from django.utils import timezone

from participation.polls.models import Poll, PollAnswer, PollVote
from participation.polls.results import poll_result
from participation.polls.services import (
    VoteRefused,
    poll_close,
    poll_vote_cast,
    poll_vote_withdraw,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def ids(poll):
    return [c.pk for c in poll.choices.all()]


def test_single_choice_counts_one_vote_per_person(make_poll):
    poll = make_poll()
    yes, no, _maybe = ids(poll)
    for choice in (yes, yes, no):
        poll_vote_cast(user=UserFactory(), poll=poll, choices=[choice])

    result = poll_result(poll)
    assert result.participants == 3
    assert [(o.text, o.votes) for o in result.options] == [
        ("Ja", 2),
        ("Nein", 1),
        ("Vielleicht", 0),
    ]
    assert round(result.options[0].share, 3) == 0.667


def test_a_second_vote_is_refused_with_a_clear_message_when_votes_are_final(make_poll):
    poll = make_poll(allow_change=False)
    person = UserFactory()
    poll_vote_cast(user=person, poll=poll, choices=[ids(poll)[0]])

    with pytest.raises(VoteRefused) as refused:
        poll_vote_cast(user=person, poll=poll, choices=[ids(poll)[1]])

    assert refused.value.code == "duplicate"
    assert refused.value.messages == ["Sie haben in dieser Umfrage bereits abgestimmt."]
    assert PollVote.objects.filter(poll=poll).count() == 1
    assert poll_result(poll).options[0].votes == 1


def test_a_changed_vote_replaces_the_old_answers(make_poll):
    poll = make_poll(allow_change=True)
    person = UserFactory()
    _vote, created = poll_vote_cast(user=person, poll=poll, choices=[ids(poll)[0]])
    vote, created_again = poll_vote_cast(user=person, poll=poll, choices=[ids(poll)[1]])

    assert created and not created_again
    assert vote.changed_at is not None
    assert [(o.text, o.votes) for o in poll_result(poll).options][:2] == [("Ja", 0), ("Nein", 1)]


def test_unique_constraint_holds_without_the_service(make_poll):
    poll = make_poll()
    person = UserFactory()
    PollVote.objects.create(poll=poll, user=person)

    with pytest.raises(IntegrityError):
        PollVote.objects.create(poll=poll, user=person)


@pytest.mark.parametrize(
    ("ballot", "code"),
    [
        ({"choices": []}, "empty"),
        ({"choices": [999999]}, "invalid"),
        ({"choices": "both"}, "too_many"),
        ({"choices": [], "other_text": "Etwas anderes"}, "other"),
    ],
)
def test_single_choice_rejects_bad_ballots(make_poll, ballot, code):
    poll = make_poll()
    if ballot["choices"] == "both":
        ballot = {"choices": ids(poll)[:2]}

    with pytest.raises(VoteRefused) as refused:
        poll_vote_cast(user=UserFactory(), poll=poll, **ballot)

    assert refused.value.code == code
    assert not PollVote.objects.filter(poll=poll).exists()


def test_multiple_choice_respects_its_maximum_and_counts_other_answers(make_poll):
    poll = make_poll(kind=Poll.Kind.MULTIPLE, max_choices=2, allow_other=True)
    a, b, _c = ids(poll)
    poll_vote_cast(user=UserFactory(), poll=poll, choices=[a, b])
    poll_vote_cast(user=UserFactory(), poll=poll, choices=[a], other_text="Mehr Bäume")

    with pytest.raises(VoteRefused) as refused:
        poll_vote_cast(user=UserFactory(), poll=poll, choices=[a, b], other_text="Noch was")
    assert refused.value.code == "too_many"
    with pytest.raises(VoteRefused):
        poll_vote_cast(user=UserFactory(), poll=poll, choices=[a], other_text="x" * 201)

    result = poll_result(poll)
    assert [o.votes for o in result.options] == [2, 1, 0]
    assert result.other == 1
    assert result.participants == 2


def test_ranking_needs_every_place_once_and_scores_borda_points(make_poll):
    poll = make_poll(kind=Poll.Kind.RANKING)
    a, b, c = ids(poll)
    poll_vote_cast(user=UserFactory(), poll=poll, ranks={a: 1, b: 2, c: 3})
    poll_vote_cast(user=UserFactory(), poll=poll, ranks={b: 1, a: 2, c: 3})
    poll_vote_cast(user=UserFactory(), poll=poll, ranks={b: 1, c: 2, a: 3})

    for bad, code in (({a: 1, b: 1, c: 2}, "invalid"), ({a: 1, b: 2}, "incomplete")):
        with pytest.raises(VoteRefused) as refused:
            poll_vote_cast(user=UserFactory(), poll=poll, ranks=bad)
        assert refused.value.code == code

    result = poll_result(poll)
    # points: first place 3, second 2, third 1
    assert [(o.text, o.points) for o in result.options] == [
        ("Nein", 8),
        ("Ja", 6),
        ("Vielleicht", 4),
    ]


def test_rating_averages_and_distribution(make_poll):
    poll = make_poll(kind=Poll.Kind.RATING, scale_max=5)
    a, b, _c = ids(poll)
    poll_vote_cast(user=UserFactory(), poll=poll, ratings={a: 5, b: 2})
    poll_vote_cast(user=UserFactory(), poll=poll, ratings={a: 4})

    with pytest.raises(VoteRefused) as refused:
        poll_vote_cast(user=UserFactory(), poll=poll, ratings={a: 6})
    assert refused.value.code == "invalid"

    result = poll_result(poll)
    assert result.options[0].average == 4.5
    assert result.options[0].distribution == [0, 0, 0, 1, 1]
    assert result.options[1].votes == 1
    assert result.options[2].average is None


def test_withdrawing_a_vote_removes_it_from_the_count(make_poll):
    poll = make_poll(allow_change=True)
    person = UserFactory()
    poll_vote_cast(user=person, poll=poll, choices=[ids(poll)[0]])

    assert poll_vote_withdraw(user=person, poll=poll) is True
    assert poll_vote_withdraw(user=person, poll=poll) is False
    assert poll_result(poll).participants == 0
    assert not PollAnswer.objects.filter(poll=poll).exists()


def test_withdrawing_is_refused_when_votes_are_final(make_poll):
    poll = make_poll(allow_change=False)
    person = UserFactory()
    poll_vote_cast(user=person, poll=poll, choices=[ids(poll)[0]])

    with pytest.raises(VoteRefused):
        poll_vote_withdraw(user=person, poll=poll)
    assert poll_result(poll).participants == 1


def test_a_closed_poll_takes_no_votes_and_no_changes(make_poll):
    poll = make_poll(allow_change=True)
    person = UserFactory()
    poll_vote_cast(user=person, poll=poll, choices=[ids(poll)[0]])
    poll_close(poll=poll)

    for attempt in (
        lambda: poll_vote_cast(user=UserFactory(), poll=poll, choices=[ids(poll)[1]]),
        lambda: poll_vote_cast(user=person, poll=poll, choices=[ids(poll)[1]]),
    ):
        with pytest.raises(VoteRefused) as refused:
            attempt()
        assert refused.value.code == "closed"
    assert [o.votes for o in poll_result(poll).options] == [1, 0, 0]


def test_closing_twice_keeps_the_first_closing_time(make_poll):
    poll = make_poll()
    poll_close(poll=poll)
    first = Poll.objects.get(pk=poll.pk).closed_at
    poll_close(poll=Poll.objects.get(pk=poll.pk))

    assert Poll.objects.get(pk=poll.pk).closed_at == first
    assert first <= timezone.now()


def test_an_option_with_votes_cannot_be_deleted(make_poll):
    from django.db.models import ProtectedError

    poll = make_poll()
    poll_vote_cast(user=UserFactory(), poll=poll, choices=[ids(poll)[0]])

    with pytest.raises(ProtectedError):
        poll.choices.first().delete()
