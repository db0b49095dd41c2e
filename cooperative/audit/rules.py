import rules

from cooperative.accounts.rules import is_board

rules.add_perm("cooperative_audit.view_auditevent", rules.always_allow)
rules.add_perm("cooperative_audit.view_private_auditevent", is_board)
