"""Who may switch calm mode on and off: moderators under a mandate that covers the
consultation (its organisation's, one of its topics', or the platform's), and admins."""

from __future__ import annotations

import rules

from participation.gate.mandates import is_moderator_for

rules.add_perm("participation_guard.change_calmmode", is_moderator_for)
rules.add_perm("participation_guard.view_calmmode", is_moderator_for)
