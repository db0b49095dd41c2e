import rules

from cooperative.accounts.rules import is_board


@rules.predicate
def mandate_is_active(user, mandate) -> bool:
    return mandate is not None and mandate.revoked_at is None


rules.add_perm("cooperative_mandates.view_moderationmandate", rules.always_allow)
rules.add_perm("cooperative_mandates.add_moderationmandate", is_board)
rules.add_perm("cooperative_mandates.revoke_moderationmandate", is_board & mandate_is_active)
