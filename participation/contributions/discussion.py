"""The discussion of a target, for the page that shows the target: a proposal's page shows
its thread below the proposal. The comments app provides it from its
`AppConfig.ready()`, so that a kind shows a thread without importing comments."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from participation.contributions.targets import Target


@dataclass(frozen=True)
class Discussion:
    template: str  # included by the target's page with the context below
    # (request, consultation, target=...) → the thread and what the template needs
    context: Callable[..., dict]


_provided: list[Discussion] = []


def discussion_register(discussion: Discussion) -> None:
    _provided[:] = [discussion]


def discussion_context(request, consultation, target: Target) -> dict:
    """The thread on `target` and what its template needs, with the template's name as
    `discussion_template`; nothing where no app provides discussions."""
    if not _provided:
        return {}
    discussion = _provided[0]
    return {
        **discussion.context(request, consultation, target=target),
        "discussion_template": discussion.template,
    }
