"""Who sees a consultation's results page: everyone once its result phase has come (the
consultation is finished); the organisation's editors and speakers, and the admin, at
any time, to see what will be published."""

import rules

from participation.consultations.rules import is_admin, is_editor, is_published, is_speaker


@rules.predicate
def is_finished(user, consultation) -> bool:
    return consultation is not None and consultation.state() == "finished"


rules.add_perm(
    "participation_results.view_results",
    (is_published & is_finished) | is_editor | is_speaker | is_admin,
)
