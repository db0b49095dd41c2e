"""Reads of the website app."""

from __future__ import annotations

from cms.models import AccessibilityFeedback


def accessibility_feedback_by_id(pk: int | None) -> AccessibilityFeedback | None:
    if not pk:
        return None
    return AccessibilityFeedback.objects.filter(pk=pk).first()
