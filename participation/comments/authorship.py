"""Which contributions on a page are the reader's own, without telling anyone who wrote them.

Contributions are rendered once for every reader (the page, htmx and live events share one
template, see render.py), so the controls only their author may use (edit, delete; no
reactions to oneself) are switched on by the page script: it compares each
contribution's `data-author` with the reader's own `data-viewer`. Account ids there would
let anyone read, from the shared HTML, which contributions one account wrote and how many
accounts there are. The token is a keyed hash of the consultation and the account: equal
for one author within one consultation (so page and live frames agree), unrelated across
consultations, and not computable without the server's secret key.
"""

from __future__ import annotations

from django.utils.crypto import salted_hmac

TOKEN_LENGTH = 20  # hex digits: 80 bits


def author_token(*, consultation_id: int, user_id: int | None) -> str:
    """The token of `user_id`'s contributions in the consultation ("" for none)."""
    if not user_id:
        return ""
    digest = salted_hmac(
        "allmende.comments.author_token", f"{consultation_id}:{user_id}", algorithm="sha256"
    )
    return digest.hexdigest()[:TOKEN_LENGTH]
