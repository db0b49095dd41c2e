"""Writes for moderation, one module per concern: notices (DSA Art. 16), decisions with
their effects (Art. 17), appeals (Art. 20); the records for the DSA Transparency Database
are in dsa.py.

Callers check permissions first (`participation_moderation.*`); the services check what
only they can know (the appeal window, the other moderator, whether an action fits its
target and state). Every act is recorded in the audit log inside its transaction; people
are told in the app and by mail, and live events go out after commit."""

from participation.moderation.services.appeals import appeal_create, appeal_deadline, appeal_decide
from participation.moderation.services.decisions import (
    APPROVAL_FACTS,
    INVERSE,
    actions_applicable,
    approvable,
    decision_create,
    pending_approve,
    redress_text,
    restriction_text,
)
from participation.moderation.services.notices import (
    report_create,
    report_fingerprint,
    report_reject,
)

__all__ = [
    "APPROVAL_FACTS",
    "INVERSE",
    "actions_applicable",
    "appeal_create",
    "appeal_deadline",
    "appeal_decide",
    "approvable",
    "decision_create",
    "pending_approve",
    "redress_text",
    "report_create",
    "report_fingerprint",
    "report_reject",
    "restriction_text",
]
