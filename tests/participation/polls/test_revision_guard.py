"""Publishing an older revision keeps polls and options that have votes (the editor form
refuses removing them; a revision published from the history must not delete them)."""

import pytest

from participation.consultations.models import ConsultationPage
from participation.polls.models import Poll, PollAnswer, PollChoice, PollVote
from participation.polls.services import poll_vote_cast

pytestmark = pytest.mark.django_db


def test_an_older_revision_does_not_delete_voted_options_or_polls(make_consultation, make_person):
    page = make_consultation("open")
    poll = Poll(question="Tempo 30?", kind=Poll.Kind.SINGLE)
    poll.choices.add(PollChoice(text="Ja", sort_order=0), PollChoice(text="Nein", sort_order=1))
    page.polls.add(poll)
    page.save_revision().publish()
    old = ConsultationPage.objects.get(pk=page.pk).save_revision()  # as the editor leaves it

    saved = Poll.objects.get(page=page)
    later = PollChoice.objects.create(poll=saved, text="Nur nachts", sort_order=2)
    other = Poll.objects.create(page=page, question="Und die Nebenstraßen?", sort_order=1)
    other_choice = PollChoice.objects.create(poll=other, text="Ja", sort_order=0)
    unvoted = PollChoice.objects.create(poll=saved, text="Weiß nicht", sort_order=3)
    voter = make_person("citizen")
    poll_vote_cast(user=voter, poll=Poll.objects.get(pk=saved.pk), choices=[later.pk])
    poll_vote_cast(user=voter, poll=Poll.objects.get(pk=other.pk), choices=[other_choice.pk])

    old.publish()  # the revision has neither the later option nor the second poll

    page = ConsultationPage.objects.get(pk=page.pk)
    assert set(PollChoice.objects.filter(poll=saved).values_list("text", flat=True)) == {
        "Ja",
        "Nein",
        "Nur nachts",
    }  # the option without votes goes, as the revision says
    assert not PollChoice.objects.filter(pk=unvoted.pk).exists()
    assert Poll.objects.filter(pk=other.pk).exists()
    assert PollVote.objects.filter(user=voter).count() == 2
    assert PollAnswer.objects.filter(choice=later).count() == 1
