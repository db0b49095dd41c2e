from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContributionsConfig(AppConfig):
    """What the contribution kinds (comments, polls, proposals) share, below all of them:
    the places a contribution can be about (targets.py), the thread shown on such a place
    (discussion.py), the Markdown of contributions (markup.py) and the rate limits of every
    write (ratelimit.py). No models: the kinds import this app, never each other."""

    name = "participation.contributions"
    label = "participation_contributions"
    verbose_name = _("Contributions")
