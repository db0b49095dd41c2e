"""Atom feeds: all consultations, one organisation's, a consultation's contributions,
official statements, results. Public content only, linked from the pages' <head>."""

from __future__ import annotations

from itertools import islice
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperative.organisations.models import Organisation
from participation.api import selectors
from participation.comments.models import Comment
from participation.consultations.models import ConsultationState
from participation.proposals.models import Proposal

FEED_SIZE = 50


class AtomFeed(Feed):
    feed_type = Atom1Feed
    author_name = "Allmende"

    def __call__(self, request, *args, **kwargs):
        self.request = request
        response = super().__call__(request, *args, **kwargs)
        response["Content-Type"] = "application/atom+xml; charset=utf-8"
        return response

    def item_guid(self, item) -> str:
        return f"tag:allmende,2026:{item._meta.model_name}/{item.pk}"

    def item_guid_is_permalink(self, item) -> bool:
        return False


class ConsultationsFeed(AtomFeed):
    title = gettext_lazy("Allmende: consultations")
    subtitle = gettext_lazy("New and updated consultations on the platform.")

    def link(self) -> str:
        return reverse("consultation_list")

    def feed_guid(self) -> str:
        return "tag:allmende,2026:feeds/consultations"

    def get_items(self):
        return selectors.public_consultations().order_by("-last_published_at", "-pk")

    def items(self):
        pages = list(self.get_items()[:FEED_SIZE])
        selectors.attach_areas(pages)
        return pages

    def item_title(self, item) -> str:
        return item.title

    def item_description(self, item) -> str:
        return item.summary

    def item_link(self, item) -> str:
        return item.get_url(self.request)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at or item.first_published_at

    def item_author_name(self, item) -> str:
        return item.organisation.name if item.organisation else "Allmende"

    def item_categories(self, item) -> list[str]:
        return [tag.name for tag in item.tags.all()]


class OrganisationFeed(ConsultationsFeed):
    def get_object(self, request, slug: str):
        return get_object_or_404(Organisation, slug=slug, consultation_index__isnull=False)

    def title(self, obj) -> str:  # type: ignore[override]
        return _("%(organisation)s: consultations") % {"organisation": obj.name}

    def subtitle(self, obj) -> str:  # type: ignore[override]
        return _("Consultations of %(organisation)s on Allmende.") % {"organisation": obj.name}

    def link(self, obj) -> str:  # type: ignore[override]
        return obj.consultation_index.get_url(self.request)

    def feed_guid(self, obj) -> str:  # type: ignore[override]
        return f"tag:allmende,2026:feeds/organisation/{obj.pk}"

    def author_name(self, obj) -> str:  # type: ignore[override]
        return obj.name

    def items(self, obj):  # type: ignore[override]
        pages = list(
            self.get_items()
            .child_of(obj.consultation_index)
            .order_by("-last_published_at")[:FEED_SIZE]
        )
        selectors.attach_areas(pages)
        return pages


class ContributionsFeed(AtomFeed):
    """A consultation's contributions and proposals, newest first."""

    def get_object(self, request, consultation_id: int):
        page = selectors.public_consultation(consultation_id)
        if page is None:
            raise Http404
        return page

    def title(self, obj) -> str:  # type: ignore[override]
        return _("%(consultation)s: contributions") % {"consultation": obj.title}

    def subtitle(self, obj) -> str:  # type: ignore[override]
        return obj.summary

    def link(self, obj) -> str:  # type: ignore[override]
        return obj.get_url(self.request)

    def feed_guid(self, obj) -> str:  # type: ignore[override]
        return f"tag:allmende,2026:feeds/consultation/{obj.pk}"

    def author_name(self, obj) -> str:  # type: ignore[override]
        return obj.organisation.name if obj.organisation else "Allmende"

    def items(self, obj):  # type: ignore[override]
        comments = selectors.public_comments(obj).order_by("-pk")[:FEED_SIZE]
        proposals = selectors.public_proposals(obj)[:FEED_SIZE]
        merged: list[Any] = sorted(
            [*comments, *proposals], key=lambda item: item.created_at, reverse=True
        )
        for item in merged:
            item.consultation = obj
        return list(islice(merged, FEED_SIZE))

    def item_title(self, item) -> str:
        if isinstance(item, Proposal):
            return _("Proposal: %(title)s") % {"title": item.title}
        name = item.author.display_name if item.author else _("(deleted account)")
        if item.is_official:
            return _("Official statement of %(organisation)s") % {
                "organisation": item.organisation.name
            }
        if item.parent_id:
            return _("Reply by %(name)s") % {"name": name}
        return _("Contribution by %(name)s") % {"name": name}

    def item_description(self, item) -> str:
        return item.body_html

    def item_link(self, item) -> str:
        if isinstance(item, Proposal):
            return item.get_absolute_url()
        return f"{item.consultation.get_url(self.request)}#comment-{item.pk}"

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        if isinstance(item, Comment):
            return item.edited_at or item.created_at
        return item.updated_at

    def item_author_name(self, item) -> str:
        if isinstance(item, Comment) and item.is_official and item.organisation:
            return item.organisation.name
        return item.author.display_name if item.author else _("(deleted account)")


class StatementsFeed(AtomFeed):
    title = gettext_lazy("Allmende: official statements")
    subtitle = gettext_lazy("Statements of organisations in their consultations.")

    def link(self) -> str:
        return reverse("consultation_list")

    def feed_guid(self) -> str:
        return "tag:allmende,2026:feeds/statements"

    def items(self):
        return list(selectors.public_statements()[:FEED_SIZE])

    def item_title(self, item) -> str:
        return _("%(organisation)s on “%(consultation)s”") % {
            "organisation": item.organisation.name,
            "consultation": item.consultation.title,
        }

    def item_description(self, item) -> str:
        return item.body_html

    def item_link(self, item) -> str:
        return f"{item.consultation.get_url(self.request)}#comment-{item.pk}"

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.edited_at or item.created_at

    def item_author_name(self, item) -> str:
        return item.organisation.name if item.organisation else "Allmende"


class ResultsFeed(ConsultationsFeed):
    title = gettext_lazy("Allmende: results")
    subtitle = gettext_lazy("Consultations whose results have been published.")

    def feed_guid(self) -> str:
        return "tag:allmende,2026:feeds/results"

    def get_items(self):
        return (
            selectors.public_consultations(with_states=True)
            .filter(state_value=ConsultationState.FINISHED)
            .order_by("-last_published_at", "-pk")
        )

    def item_guid(self, item) -> str:
        return f"tag:allmende,2026:results/{item.pk}"

    def item_title(self, item) -> str:
        return _("Results: %(consultation)s") % {"consultation": item.title}

    def item_description(self, item) -> str:
        from wagtail.rich_text import expand_db_html

        return expand_db_html(item.results_summary) if item.results_summary else item.summary

    def item_link(self, item) -> str:
        return reverse("consultation_results", args=[item.pk])
