"""Who may moderate: holders of a mandate covering the content's consultation, and platform
admins. The organisation's moderator *role* alone no longer suffices; the cooperative grants
mandates (docs/roles-and-permissions.md)."""

import rules

from participation.moderation.scope import user_may_moderate


def _consultation_of(obj):
    """The consultation a moderation object belongs to (None: platform scope)."""
    from participation.consultations.models import ConsultationPage
    from participation.moderation.models import Appeal, ModerationDecision, Report

    if obj is None:
        return None
    if isinstance(obj, ConsultationPage):
        return obj
    if isinstance(obj, Appeal):
        obj = obj.decision
    if isinstance(obj, ModerationDecision | Report):
        return obj.consultation
    consultation = getattr(obj, "consultation", None)
    if consultation is not None:
        return consultation
    poll = getattr(obj, "poll", None)  # a poll option
    if poll is not None:
        return poll.page
    return None


@rules.predicate
def holds_mandate_for(user, obj) -> bool:
    """A mandate covering the object's consultation (for content outside consultations, a
    platform mandate); platform admins always."""
    return user_may_moderate(user, _consultation_of(obj))


@rules.predicate
def holds_any_mandate(user) -> bool:
    from cooperative.mandates.selectors import mandates_for_user

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or mandates_for_user(user).exists())


@rules.predicate
def is_affected_person(user, decision) -> bool:
    return bool(
        user.is_authenticated and decision is not None and decision.affected_user_id == user.pk
    )


@rules.predicate
def decided_it(user, obj) -> bool:
    from participation.moderation.models import Appeal

    decision = obj.decision if isinstance(obj, Appeal) else obj
    return bool(decision is not None and decision.moderator_id == user.pk)


rules.add_perm("participation_moderation.view_queue", holds_any_mandate)
rules.add_perm("participation_moderation.moderate", holds_mandate_for)
rules.add_perm("participation_moderation.add_moderationdecision", holds_mandate_for)
rules.add_perm(
    "participation_moderation.view_moderationdecision", is_affected_person | holds_mandate_for
)


@rules.predicate
def restricts(user, decision) -> bool:
    """The decision goes against the person it concerns (hidden, removed, rejected, locked,
    pre-moderated, suspended): only such a decision can be appealed by them (DSA Art. 20)."""
    from participation.moderation.models import RESTRICTING_ACTIONS

    return decision is not None and decision.action in RESTRICTING_ACTIONS


rules.add_perm("participation_moderation.add_appeal", is_affected_person & restricts)
rules.add_perm("participation_moderation.decide_appeal", holds_mandate_for & ~decided_it)
