"""Search in consultations, alike on SQLite and PostgreSQL.

German joins words into compounds ("Radverkehrskonzept", "Straßenbäume"), so a search
must find parts of words, not only the whole words a full-text index knows. Each
published consultation has one row of folded text (`ConsultationSearchText`: lower case,
umlauts and ß folded, accents dropped), written when the page is published. A search
folds the query the same way and asks the database, with plain `LIKE` (the same on both
databases), for the rows that contain every term; Python then checks and scores these
few candidates: a whole word above a word's beginning above a part inside a compound,
the title above the topics above the summary above the body.

The row keeps the revision it was made from: a page published by a path that sends no
signal (a copy, an alias) or a row made by an older `TEXT_FORMAT` is read from the page
itself instead, so a search never misses nor shows anything the live page does not say.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from wagtail.rich_text import get_text_for_indexing
from wagtail.signals import page_published

from participation.consultations.models import ConsultationPage, ConsultationSearchText

# Raise when the folding or the fields change: rows of another format are stale.
TEXT_FORMAT = 1

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
MAX_TERM_LENGTH = 60
# A term this short matches only at the beginning of a word ("zu" is in too many words).
MIN_INNER_LENGTH = 3
MIN_STEM_LENGTH = 4

FIELDS = ("title", "tags", "summary", "body")
FIELD_WEIGHTS = {"title": 8.0, "tags": 4.0, "summary": 2.0, "body": 1.0}
# How well a term matches a word: whole > beginning > inside (a part of a compound).
WHOLE_WORD, WORD_START, INSIDE_WORD = 1.0, 0.75, 0.5
# A term found only through its stem ("Radwege" → "radweg") counts a little less.
STEM_FACTOR = 0.8
# The term's best field counts fully, each other field that has it a little.
OTHER_FIELD_FACTOR = 0.1

# Inflection endings stripped from a query term (longest first): plural and case
# endings of nouns and adjectives. Not "er": it ends too many stems (Bürger, Radfahrer).
_ENDINGS = ("innen", "nen", "en", "es", "e", "n", "s")
# Folded, like the terms they are compared with.
_STOPWORDS = frozenset(
    (  # noqa: SIM905 (words read best as words)
        "der die das den dem des ein eine einer eines einem einen und oder im in am an auf "
        "fur zu zum zur von vom mit bei aus nach uber um als the and of"
    ).split()
)
_WORD = re.compile(r"[^\W_]+")
_DIGRAPHS = (("ae", "a"), ("oe", "o"), ("ue", "u"))


def fold(text: str) -> str:
    """Lower case, ß → ss, accents and umlauts dropped, and ae/oe/ue read as a/o/u, so
    that "Lärm", "Laerm" and "LÄRM" are one word, and "Straße" and "Strasse" another.
    Everything but letters and digits becomes one space."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    for digraph, vowel in _DIGRAPHS:
        text = text.replace(digraph, vowel)
    return " ".join(_WORD.findall(text))


def _with_joined_hyphenations(text: str) -> str:
    """The folded text, and after it each hyphenated compound written as one word, so
    that "Radverkehrs-Konzept" is found by "Radverkehrskonzept" too."""
    joined = [
        "".join(_WORD.findall(word))
        for word in re.findall(r"[^\W_]+(?:-[^\W_]+)+", text.casefold())
    ]
    return fold(" ".join([text, *joined]))


def stem(term: str) -> str:
    """A folded term without its inflection ending, or the term itself."""
    for ending in _ENDINGS:
        if term.endswith(ending) and len(term) - len(ending) >= MIN_STEM_LENGTH:
            return term[: -len(ending)]
    return term


@dataclass(frozen=True)
class Term:
    text: str
    stem: str

    @property
    def shortest(self) -> str:
        """The variant every match contains (the stem is a beginning of the term)."""
        return self.stem


def terms_of(query: str | None) -> list[Term]:
    """The query's search terms: folded words, stop words left out unless there are only
    stop words, at most MAX_TERMS; none for a query without letters or digits."""
    words = fold((query or "")[:MAX_QUERY_LENGTH]).split()
    words = [word[:MAX_TERM_LENGTH] for word in words]
    meaningful = [word for word in words if word not in _STOPWORDS] or words
    unique = list(dict.fromkeys(meaningful))[:MAX_TERMS]
    return [Term(text=word, stem=stem(word)) for word in unique]


@dataclass(frozen=True)
class SearchText:
    """What is searched of one page, folded, by field."""

    title: str
    tags: str
    summary: str
    body: str


def search_text_from(
    *, title: str, tags: Iterable[str], summary: str, body: Iterable[str]
) -> SearchText:
    return SearchText(
        title=_with_joined_hyphenations(title),
        tags=_with_joined_hyphenations(" ".join(tags)),
        summary=_with_joined_hyphenations(summary),
        body=_with_joined_hyphenations(" ".join(body)),
    )


def body_parts(page) -> list[str]:
    """The page's searchable text besides title, topics and summary: the body, the draft
    text and the results (also of the historical model in a migration)."""
    parts: list[str] = [page.draft_text_title]
    for stream in (page.body, page.draft_text):
        parts.extend(str(part) for part in stream.stream_block.get_searchable_content(stream))
    parts.append(get_text_for_indexing(page.results_summary or ""))
    return parts


def search_text_of(page: ConsultationPage) -> SearchText:
    """The folded text of the page as it is (the live version when it is published)."""
    return search_text_from(
        title=page.title,
        tags=[tag.name for tag in page.tags.all()],
        summary=page.summary,
        body=body_parts(page),
    )


def consultation_search_text_update(*, page: ConsultationPage, revision_id: int | None) -> None:
    """Store the folded text of a page just published as revision `revision_id`."""
    text = search_text_of(page)
    ConsultationSearchText.objects.update_or_create(
        page_id=page.pk,
        defaults={
            "revision_id": revision_id,
            "text_format": TEXT_FORMAT,
            "title": text.title,
            "tags": text.tags,
            "summary": text.summary,
            "body": text.body,
        },
    )


def _match_quality(text: str, variant: str) -> float:
    if re.search(rf"(?<!\w){re.escape(variant)}(?!\w)", text):
        return WHOLE_WORD
    if re.search(rf"(?<!\w){re.escape(variant)}", text):
        return WORD_START
    if len(variant) >= MIN_INNER_LENGTH and variant in text:
        return INSIDE_WORD
    return 0.0


def _term_score(text: SearchText, term: Term) -> float:
    """How well one term matches the page; 0 where it does not."""
    per_field = []
    for field in FIELDS:
        value = getattr(text, field)
        quality = _match_quality(value, term.text)
        if not quality and term.stem != term.text:
            quality = _match_quality(value, term.stem) * STEM_FACTOR
        per_field.append(quality * FIELD_WEIGHTS[field])
    best = max(per_field)
    return best + OTHER_FIELD_FACTOR * (sum(per_field) - best) if best else 0.0


def score(text: SearchText, terms: list[Term]) -> float:
    """The page's relevance: the sum of its terms' scores, 0 unless every term matches."""
    total = 0.0
    for term in terms:
        term_score = _term_score(text, term)
        if not term_score:
            return 0.0
        total += term_score
    return total


def _batches(ids: list[int], size: int = 500) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _live_texts(page_ids: Iterable[int]) -> Iterator[tuple[int, SearchText]]:
    """Texts read from the pages themselves, for pages without a current stored row."""
    for batch in _batches(sorted(page_ids)):
        pages = ConsultationPage.objects.filter(pk__in=batch).prefetch_related("tags")
        for page in pages:
            yield page.pk, search_text_of(page)


def consultation_search_scores(pages: QuerySet, query: str | None) -> dict[int, int] | None:
    """{page id: relevance} of the pages in `pages` that match every term of `query`
    (higher is better); None when the query has no term, so that callers list as without
    a query. `pages` decides what may be found: callers pass only what the person may see."""
    terms = terms_of(query)
    if not terms:
        return None
    in_scope = pages.order_by().values("pk")
    live_revisions = dict(pages.order_by().values_list("pk", "live_revision_id"))
    stored = ConsultationSearchText.objects.filter(page_id__in=in_scope)
    current = {
        page_id
        for page_id, revision_id, text_format in stored.values_list(
            "page_id", "revision_id", "text_format"
        )
        if text_format == TEXT_FORMAT and revision_id == live_revisions.get(page_id)
    }
    contains_every_term = [
        reduce(or_, (Q(**{f"{field}__contains": term.shortest}) for field in FIELDS))
        for term in terms
    ]
    candidates = stored.filter(*contains_every_term).values_list("page_id", *FIELDS)
    texts: list[tuple[int, SearchText]] = [
        (page_id, SearchText(*fields)) for page_id, *fields in candidates if page_id in current
    ]
    texts.extend(_live_texts(set(live_revisions) - current))
    scores = {page_id: score(text, terms) for page_id, text in texts}
    return {page_id: round(value * 100) for page_id, value in scores.items() if value}


def _published(sender, instance: ConsultationPage, revision=None, **kwargs) -> None:
    consultation_search_text_update(page=instance, revision_id=getattr(revision, "pk", None))


def connect() -> None:
    page_published.connect(
        _published, sender=ConsultationPage, dispatch_uid="consultation-search-text"
    )
