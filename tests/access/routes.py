"""Who may not use which address: one entry for every URL pattern and WebSocket route.

`ROUTES` is keyed by the route's qualified name (namespace:name), or by its route for a
pattern without a unique name. Each entry says how to build a concrete URL from the
test world, the method, what an anonymous visitor gets, and which role must be refused and
what it gets, or, for a public route, why no role is refused. `AREAS` holds one rule per
large third-party group (the Wagtail admin): it covers every pattern under its prefix that
has no entry of its own, and each of them is requested.

What counts as "refused" is the access control answering: a redirect to the sign-in page,
403, or 404 where the object is not visible to that person (a draft, a password-protected
consultation, someone else's object). Every refused request that is not a GET must leave
the database as it was (`test_routes.py` compares a fingerprint of every table).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from tests.access.patterns import Route
from tests.access.world import SECRET, World
from tests.factories import TEST_PASSWORD

Builder = Callable[[World], Any]


# --- what a response must be ------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    label: str
    statuses: tuple[int, ...]
    # "login": a redirect to the sign-in page; a callable: a redirect to that path. Where
    # the redirects end: each is followed while it leads to another one.
    location: str | Builder | None = None
    # Any of these instead.
    options: tuple[Outcome, ...] = ()
    # The path of the first redirect, where the redirects then lead on (`location`).
    via: str = ""
    # Side conditions the request must keep whatever it answers.
    stays_anonymous: bool = False  # it signs nobody in
    sends_no_mail: bool = False

    def also(self, **conditions) -> Outcome:
        return replace(self, **conditions)


OK = Outcome("200", (200,))
# A redirect that ends (after addresses that forward, such as Wagtail's old sign-in
# addresses) at allauth's sign-in page, with the address to come back to.
LOGIN = Outcome("redirect to sign-in", (302,), location="login")
FORBIDDEN = Outcome("403", (403,))
NOT_FOUND = Outcome("404", (404,))
UNAUTHORIZED = Outcome("401", (401,))
UNPROCESSABLE = Outcome("422 (the form refuses it)", (422,))
# Whatever the status: for requests whose side conditions (below) are what matters.
ANY_STATUS = Outcome("any answer", tuple(range(200, 600)))


# Someone signed in whom the Wagtail admin refuses: sent to its sign-in address, which
# sends a signed-in person on to the start page.
ADMIN_NO_ACCESS = Outcome(
    "redirect to the admin's sign-in, then the start page",
    (302,),
    location="/",
    via="/admin/login/",
)


def redirect(to: str | Builder, label: str = "") -> Outcome:
    return Outcome(label or f"redirect to {to}", (302,), location=to)


def either(*outcomes: Outcome) -> Outcome:
    return Outcome(" or ".join(o.label for o in outcomes), (), options=outcomes)


# --- who asks, and how ------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One request: by whom ("anonymous", a person of the world, or "token:<name>" for an
    API token of the world), to which URL (default: the entry's), and what must come back.
    `absent`: text the response must not contain; `shows`: text it must contain (the
    reason given to the person refused). `fresh`: in a session signed in just now (for
    views that ask for a recent sign-in)."""

    who: str
    outcome: Outcome
    url: Builder | None = None
    method: str | None = None
    data: Any = None
    absent: str = ""
    shows: str = ""
    fresh: bool = False


def refuse(who: str, outcome: Outcome, url: Builder | None = None, **options) -> Check:
    return Check(who=who, outcome=outcome, url=url, **options)


@dataclass(frozen=True)
class Access:
    url: Builder
    anonymous: Outcome
    refused: tuple[Check, ...] = ()
    public: str = ""  # why no role is refused
    method: str = "get"
    data: Any = None  # for POST: a valid form, so that only access control can stop it
    json: bool = False  # send `data` as JSON (the API)

    def checks(self) -> list[Check]:
        first = Check("anonymous", self.anonymous)
        return [first, *self.refused]


@dataclass(frozen=True)
class Shadowed:
    """A pattern that no request can reach: an earlier pattern (`by`, with an entry of its
    own) takes every URL it would match. `url` builds one such URL; the test checks that
    it resolves to `by`."""

    by: str
    url: Builder
    reason: str


def public(url: Builder, reason: str, *, anonymous: Outcome = OK, **fields) -> Access:
    return Access(url=url, anonymous=anonymous, public=reason, **fields)


def own(url: Builder, reason: str, *refused: Check, **fields) -> Access:
    """Signed-in only, and every signed-in person acts on their own things only."""
    return Access(
        url=url, anonymous=LOGIN, refused=refused, public=reason if not refused else "", **fields
    )


def guarded(url: Builder, anonymous: Outcome, *refused: Check, **fields) -> Access:
    assert refused, "a guarded route names a role it refuses"
    return Access(url=url, anonymous=anonymous, refused=refused, **fields)


# --- building URLs ----------------------------------------------------------------------


class _PrimaryKeys:
    """`P.comment` is `lambda w: w.comment.pk`."""

    def __getattr__(self, name: str) -> Builder:
        return lambda w: getattr(w, name).pk


P = _PrimaryKeys()


def to(name: str, query: str = "", **params) -> Builder:
    def build(w: World) -> str:
        kwargs = {k: (v(w) if callable(v) else v) for k, v in params.items()}
        return reverse(name, kwargs=kwargs) + query

    return build


def path(value: str | Builder) -> Builder:
    return value if callable(value) else (lambda w: value)


# POST forms that would succeed if access control were missing.
def _soon(days: int = 1) -> str:
    return (timezone.localtime() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


COMMENT = {"body": "Ein neuer Beitrag zur Hauptstraße."}
PROPOSAL = {"title": "Ein neuer Vorschlag", "body": "Eine Bank am Radweg zum Ausruhen."}
DECISION = {
    "action": "hide",
    "facts": "Der Beitrag beleidigt eine andere Teilnehmerin.",
    "ground_type": "rule",
    "clause": "2",
    "ground_explanation": "Beleidigungen nach Nr. 2 der Netiquette.",
}
PASSWORD_RESET = "^admin/password_reset/(?P<rest>.*)$"
TO_ALLAUTH_RESET = redirect(to("account_reset_password"), "redirect to allauth's reset")
SIGN_IN = {"username": "", "email": "", "login": "", "password": TEST_PASSWORD}


def sign_in_as(person: str) -> Builder:
    def build(w: World) -> dict:
        user = getattr(w, person)
        return SIGN_IN | {"username": user.username, "email": user.email, "login": user.email}

    return build


# Reasons, once each.
PUBLIC_PAGE = "a public page: what it shows is public for everyone"
PUBLIC_LIST = "lists public objects only (which ones: the channel-visibility test)"
TRANSPARENCY = "the public moderation transparency (DSA): no personal data"
ACCOUNT = "signed-in only; every person sees and changes only their own account"
ALLAUTH_FORM = "part of signing in or up (allauth): open to everyone, rate-limited there"
RULES = "the cooperative's rules are public (docs/roles-and-permissions.md)"
API_DOC = "the API's description is public"


# Wagtail refuses someone in the admin who lacks the permission: back to its start page.
ADMIN_DENIED = redirect(to("wagtailadmin_home"), "back to the admin's start page")


def _admin_view(name: str, *, post_only: bool = False, **params) -> Access:
    """An admin view of the town's area (or the platform's): anonymous visitors and citizens
    are sent to sign in; the county's editor, in the admin but not in the town's area, is
    refused by Wagtail, and a form sent anyway changes nothing."""
    if post_only:  # a GET is answered 405 before anyone is asked who they are
        return guarded(
            to(name, **params),
            LOGIN,
            refuse("citizen", ADMIN_NO_ACCESS),
            refuse("county_editor", ADMIN_DENIED),
            method="post",
            data={},
        )
    return guarded(
        to(name, **params),
        LOGIN,
        refuse("citizen", ADMIN_NO_ACCESS),
        refuse("county_editor", ADMIN_DENIED),
        refuse("county_editor", ADMIN_DENIED, method="post"),
    )


def _consultation_refusals(name: str, who: str = "citizen", **params) -> tuple[Check, ...]:
    """A consultation's page of any kind, refused for a draft and a password-protected
    consultation: 404, without a trace of their text."""
    return (
        refuse(who, NOT_FOUND, to(name, consultation_id=P.draft, **params), absent=SECRET),
        refuse(who, NOT_FOUND, to(name, consultation_id=P.restricted, **params), absent=SECRET),
    )


# --- the table --------------------------------------------------------------------------

ROUTES: dict[str, Access | Shadowed] = {
    # Outside the language prefixes
    "healthz": public(path("/healthz"), "liveness probe for the proxy; answers 'ok' only"),
    "security_txt": public(
        path("/.well-known/security.txt"),
        "RFC 9116: the operator's contact for vulnerability reports (404 until one is set)",
        anonymous=NOT_FOUND,
    ),
    "set_language": public(
        to("set_language"),
        "switches the language of the visitor's own session",
        anonymous=redirect("/en/"),
        method="post",
        data={"language": "en", "next": "/"},
    ),
    # Wagtail documents
    "wagtaildocs_serve": guarded(
        lambda w: f"/documents/{w.document.pk}/{w.document.filename}",
        # Served by the view itself (WAGTAILDOCS_SERVE_METHOD), never by the file's address.
        OK,
        refuse(
            "citizen",
            LOGIN,
            lambda w: f"/documents/{w.private_document.pk}/{w.private_document.filename}",
        ),
        refuse(
            "anonymous",
            LOGIN,
            lambda w: f"/documents/{w.private_document.pk}/{w.private_document.filename}",
        ),
    ),
    "wagtaildocs_authenticate_with_password": public(
        to("wagtaildocs_authenticate_with_password", restriction_id=P.collection_restriction),
        "the password form of a protected collection: the password is the credential; what "
        "it protects is refused at wagtaildocs_serve",
    ),
    # The REST API: token authentication only (a session is not a credential there).
    "api_root": public(to("api_root"), API_DOC),
    "api_schema": public(to("api_schema"), API_DOC),
    "api_docs": public(to("api_docs"), API_DOC),
    "api/(?P<rest>[\\s\\S]*)$": public(
        path("/api/gibt-es-nicht/"),
        "an unknown API address: 404 for everyone",
        anonymous=NOT_FOUND,
    ),
    "api_organisations": public(to("api_organisations"), PUBLIC_LIST),
    "api_organisation": public(to("api_organisation", pk=P.town), PUBLIC_PAGE),
    "api_consultations": public(to("api_consultations"), PUBLIC_LIST),
    "api_statements": public(to("api_statements"), PUBLIC_LIST),
    "api_consultation": guarded(
        to("api_consultation", pk=P.open),
        OK,
        refuse("token:citizen", NOT_FOUND, to("api_consultation", pk=P.draft)),
        refuse("token:citizen", NOT_FOUND, to("api_consultation", pk=P.restricted)),
    ),
    "api_consultation_comments": guarded(
        to("api_consultation_comments", pk=P.open),
        OK,
        refuse("anonymous", UNAUTHORIZED, method="post"),
        # an organisation token acts only in its organisation's consultations
        refuse("token:county", FORBIDDEN, method="post"),
        refuse(
            "token:citizen", NOT_FOUND, to("api_consultation_comments", pk=P.draft), method="post"
        ),
        refuse("token:citizen", NOT_FOUND, to("api_consultation_comments", pk=P.restricted)),
        data=COMMENT,
        json=True,
    ),
    "api_consultation_proposals": guarded(
        to("api_consultation_proposals", pk=P.open),
        OK,
        refuse("anonymous", UNAUTHORIZED, method="post"),
        refuse("token:read_only", FORBIDDEN, method="post"),  # no scope `propose`
        refuse("token:citizen", NOT_FOUND, to("api_consultation_proposals", pk=P.restricted)),
        data=PROPOSAL,
        json=True,
    ),
    "api_consultation_polls": guarded(
        to("api_consultation_polls", pk=P.open),
        OK,
        refuse("token:citizen", NOT_FOUND, to("api_consultation_polls", pk=P.draft)),
        refuse("token:citizen", NOT_FOUND, to("api_consultation_polls", pk=P.restricted)),
    ),
    "api_comment": guarded(
        to("api_comment", pk=P.comment),
        OK,
        refuse("token:citizen", NOT_FOUND, to("api_comment", pk=P.hidden_comment)),
        refuse("token:citizen", NOT_FOUND, to("api_comment", pk=P.pending_comment)),
        refuse("token:citizen", NOT_FOUND, to("api_comment", pk=P.draft_comment)),
        refuse("token:citizen", NOT_FOUND, to("api_comment", pk=P.restricted_comment)),
    ),
    "api_proposal": guarded(
        to("api_proposal", pk=P.proposal),
        OK,
        refuse("token:citizen", NOT_FOUND, to("api_proposal", pk=P.pending_proposal)),
        refuse("token:citizen", NOT_FOUND, to("api_proposal", pk=P.restricted_proposal)),
    ),
    "api_proposal_withdrawal": guarded(
        to("api_proposal_withdrawal", pk=P.proposal),
        UNAUTHORIZED,
        refuse("token:citizen", FORBIDDEN),  # not their proposal
        refuse("token:read_only", FORBIDDEN),  # no scope `propose`
        refuse("token:citizen", NOT_FOUND, to("api_proposal_withdrawal", pk=P.pending_proposal)),
        refuse("token:citizen", NOT_FOUND, to("api_proposal_withdrawal", pk=P.restricted_proposal)),
        method="post",
        data={},
        json=True,
    ),
    "api_proposal_supports": guarded(
        to("api_proposal_supports", pk=P.proposal),
        UNAUTHORIZED,
        refuse("token:author", FORBIDDEN),  # one's own proposal
        refuse("token:read_only", FORBIDDEN),  # no scope `support`
        refuse("token:citizen", NOT_FOUND, to("api_proposal_supports", pk=P.restricted_proposal)),
        method="post",
        data={},
        json=True,
    ),
    "api_poll": guarded(
        to("api_poll", pk=P.poll),
        OK,
        refuse("token:citizen", NOT_FOUND, to("api_poll", pk=P.draft_poll)),
        refuse("token:citizen", NOT_FOUND, to("api_poll", pk=P.restricted_poll)),
    ),
    "api_poll_votes": guarded(
        to("api_poll_votes", pk=P.poll),
        UNAUTHORIZED,
        refuse("token:read_only", FORBIDDEN),  # no scope `vote`
        refuse("token:citizen", FORBIDDEN, to("api_poll_votes", pk=P.finished_poll)),
        refuse("token:citizen", NOT_FOUND, to("api_poll_votes", pk=P.restricted_poll)),
        method="post",
        data=lambda w: {"choices": [w.choice.pk]},
        json=True,
    ),
    "api_moderation_queue": guarded(
        to("api_moderation_queue"),
        UNAUTHORIZED,
        refuse("token:citizen", FORBIDDEN),
        refuse("token:former_moderator", FORBIDDEN),  # the mandate was revoked
    ),
    "api_moderation_decisions": guarded(
        to("api_moderation_decisions"),
        UNAUTHORIZED,
        refuse("token:citizen", FORBIDDEN),
        refuse("token:former_moderator", FORBIDDEN),
        method="post",
        data=lambda w: DECISION | {"target_kind": "comment", "target_id": w.comment.pk},
        json=True,
    ),
    "api_moderation_decision": public(
        to("api_moderation_decision", puid=lambda w: w.decision.puid), TRANSPARENCY
    ),
    # Accounts (allauth and ours)
    "account_display_name": own(to("account_display_name"), ACCOUNT),
    "account_mail_settings": own(to("account_mail_settings"), ACCOUNT),
    "account_login": public(to("account_login"), ALLAUTH_FORM),
    "account_logout": public(
        to("account_logout"),
        "signs out the visitor's own session; nothing to sign out when anonymous",
        anonymous=redirect("/"),
    ),
    "account_inactive": public(to("account_inactive"), ALLAUTH_FORM),
    "account_signup": public(to("account_signup"), ALLAUTH_FORM),
    "account_reauthenticate": own(to("account_reauthenticate"), ACCOUNT),
    "account_request_reauthentication_code": own(
        to("account_request_reauthentication_code"), ACCOUNT
    ),
    "account_confirm_reauthentication_code": own(
        to("account_confirm_reauthentication_code"), ACCOUNT
    ),
    "account_email": own(to("account_email"), ACCOUNT),
    "account_email_verification_sent": public(to("account_email_verification_sent"), ALLAUTH_FORM),
    "account_change_password": own(to("account_change_password"), ACCOUNT),
    "account_set_password": own(to("account_set_password"), ACCOUNT),
    "account_reset_password": public(to("account_reset_password"), ALLAUTH_FORM),
    "account_confirm_login_code": public(
        to("account_confirm_login_code"),
        "a step of signing in; without a sign-in under way it sends the visitor back",
        anonymous=redirect(to("account_login"), "back to sign-in"),
    ),
    "account_confirm_email": public(
        to("account_confirm_email", key="ungueltig"),
        "the key in the link is the credential; a wrong key confirms nothing",
    ),
    "account_reset_password_from_key_done": public(
        to("account_reset_password_from_key_done"), ALLAUTH_FORM
    ),
    "account_reset_password_from_key": public(
        to("account_reset_password_from_key", uidb36="1", key="ungueltig-schluessel"),
        "the key in the link is the credential; a wrong key changes nothing",
    ),
    "account_reset_password_done": public(to("account_reset_password_done"), ALLAUTH_FORM),
    "mfa_index": own(to("mfa_index"), ACCOUNT),
    "mfa_authenticate": public(
        to("mfa_authenticate"),
        "the second step of signing in; without a sign-in under way it sends the visitor back",
        anonymous=redirect(to("account_login"), "back to sign-in"),
    ),
    "mfa_reauthenticate": own(to("mfa_reauthenticate"), ACCOUNT),
    "mfa_activate_totp": own(to("mfa_activate_totp"), ACCOUNT),
    "mfa_deactivate_totp": own(to("mfa_deactivate_totp"), ACCOUNT),
    "mfa_view_recovery_codes": own(to("mfa_view_recovery_codes"), ACCOUNT),
    "mfa_generate_recovery_codes": own(to("mfa_generate_recovery_codes"), ACCOUNT),
    "mfa_download_recovery_codes": own(to("mfa_download_recovery_codes"), ACCOUNT),
    "api_tokens": own(
        to("api_tokens"),
        "",
        # A citizen cannot mint a token that moderates, nor one of an organisation.
        refuse(
            "citizen",
            UNPROCESSABLE,
            method="post",
            data={"name": "x", "scopes": ["moderate"]},
            fresh=True,
        ),
        refuse(
            "citizen",
            UNPROCESSABLE,
            method="post",
            data=lambda w: {"name": "x", "scopes": ["comment"], "organisation": w.town.pk},
            fresh=True,
        ),
    ),
    "api_token_revoke": own(
        to("api_token_revoke", token_id=lambda w: w.author_token_id),
        "",
        refuse("citizen", NOT_FOUND),  # the author's token
        method="post",
        data={},
    ),
    # Consultations and what happens in them
    "consultation_list": public(to("consultation_list"), PUBLIC_LIST),
    # The compact page other websites frame: the page's visibility, nothing more.
    "consultation_embed": guarded(
        to("consultation_embed", consultation_id=P.open),
        OK,
        *_consultation_refusals("consultation_embed"),
        refuse(
            "county_editor",
            NOT_FOUND,
            to("consultation_embed", consultation_id=P.draft),
            absent=SECRET,
        ),
    ),
    "draft_text": guarded(
        to("draft_text", consultation_id=P.open),
        OK,
        *_consultation_refusals("draft_text"),
        refuse(
            "county_editor", NOT_FOUND, to("draft_text", consultation_id=P.draft), absent=SECRET
        ),
    ),
    "comment_thread": guarded(
        to("comment_thread", consultation_id=P.open),
        OK,
        *_consultation_refusals("comment_thread"),
        refuse(
            "county_editor", NOT_FOUND, to("comment_thread", consultation_id=P.draft), absent=SECRET
        ),
    ),
    "comment_create": guarded(
        to("comment_create", consultation_id=P.open),
        LOGIN,
        *_consultation_refusals("comment_create"),
        refuse("citizen", FORBIDDEN, to("comment_create", consultation_id=P.finished)),
        method="post",
        data=COMMENT,
    ),
    "comment_edit": guarded(
        to("comment_edit", consultation_id=P.open, comment_id=P.comment),
        FORBIDDEN,
        refuse("citizen", FORBIDDEN),  # not the author
        refuse("citizen", FORBIDDEN, method="post", data={"body": "Übernommen."}),
        refuse(
            "author",
            NOT_FOUND,
            to("comment_edit", consultation_id=P.open, comment_id=P.draft_comment),
        ),
    ),
    "comment_delete": guarded(
        to("comment_delete", consultation_id=P.open, comment_id=P.comment),
        FORBIDDEN,
        refuse("citizen", FORBIDDEN),
        method="post",
        data={},
    ),
    "comment_react": guarded(
        to("comment_react", consultation_id=P.open, comment_id=P.comment),
        LOGIN,
        refuse("author", FORBIDDEN),  # one's own contribution
        # A hidden contribution is shown as a placeholder: it exists, but nobody reacts.
        refuse(
            "citizen",
            FORBIDDEN,
            to("comment_react", consultation_id=P.open, comment_id=P.hidden_comment),
        ),
        refuse(
            "citizen",
            NOT_FOUND,
            to("comment_react", consultation_id=P.restricted, comment_id=P.restricted_comment),
        ),
        method="post",
        data={"kind": "agree"},
    ),
    "poll_vote": guarded(
        to("poll_vote", consultation_id=P.open, poll_id=P.poll),
        LOGIN,
        refuse(
            "citizen",
            FORBIDDEN,
            to("poll_vote", consultation_id=P.finished, poll_id=P.finished_poll),
        ),
        refuse(
            "citizen", NOT_FOUND, to("poll_vote", consultation_id=P.draft, poll_id=P.draft_poll)
        ),
        refuse(
            "citizen",
            NOT_FOUND,
            to("poll_vote", consultation_id=P.restricted, poll_id=P.restricted_poll),
        ),
        method="post",
        data=lambda w: {"choice": w.choice.pk},
    ),
    "poll_withdraw": guarded(
        to("poll_withdraw", consultation_id=P.open, poll_id=P.poll),
        LOGIN,
        refuse("citizen", FORBIDDEN),  # votes in this poll cannot be changed
        refuse(
            "citizen",
            NOT_FOUND,
            to("poll_withdraw", consultation_id=P.restricted, poll_id=P.restricted_poll),
        ),
        method="post",
        data={},
    ),
    "poll_close": guarded(
        to("poll_close", consultation_id=P.open, poll_id=P.poll),
        LOGIN,
        refuse("citizen", FORBIDDEN),
        refuse("county_editor", FORBIDDEN),  # editors of the organisation only
        method="post",
        data={},
    ),
    "consultation_results": guarded(
        to("consultation_results", consultation_id=P.finished),
        OK,
        refuse("citizen", NOT_FOUND, to("consultation_results", consultation_id=P.open)),
        # Before the result phase, only the organisation's editors and speakers see them.
        refuse("county_editor", NOT_FOUND, to("consultation_results", consultation_id=P.open)),
        *_consultation_refusals("consultation_results"),
    ),
    "consultation_results_csv": guarded(
        to("consultation_results_csv", consultation_id=P.finished),
        OK,
        refuse("citizen", NOT_FOUND, to("consultation_results_csv", consultation_id=P.open)),
        # Before the result phase, only the organisation's editors and speakers see them.
        refuse("county_editor", NOT_FOUND, to("consultation_results_csv", consultation_id=P.open)),
        *_consultation_refusals("consultation_results_csv"),
    ),
    "consultation_results_json": guarded(
        to("consultation_results_json", consultation_id=P.finished),
        OK,
        refuse("citizen", NOT_FOUND, to("consultation_results_json", consultation_id=P.open)),
        # Before the result phase, only the organisation's editors and speakers see them.
        refuse("county_editor", NOT_FOUND, to("consultation_results_json", consultation_id=P.open)),
        *_consultation_refusals("consultation_results_json"),
    ),
    "proposal_list": guarded(
        to("proposal_list", consultation_id=P.open),
        OK,
        *_consultation_refusals("proposal_list"),
        refuse(
            "county_editor", NOT_FOUND, to("proposal_list", consultation_id=P.draft), absent=SECRET
        ),
    ),
    "proposal_create": guarded(
        to("proposal_create", consultation_id=P.open),
        LOGIN,
        refuse(
            "citizen",
            FORBIDDEN,
            to("proposal_create", consultation_id=P.finished),
            shows="In der aktuellen Phase dieser Beteiligung können keine Vorschläge",
        ),
        refuse(
            "citizen",
            FORBIDDEN,
            to("proposal_create", consultation_id=P.finished),
            method="post",
            data=PROPOSAL,
            shows="In der aktuellen Phase dieser Beteiligung können keine Vorschläge",
        ),
        *_consultation_refusals("proposal_create"),
    ),
    "proposal_detail": guarded(
        to("proposal_detail", consultation_id=P.open, proposal_id=P.proposal),
        OK,
        refuse(
            "citizen",
            NOT_FOUND,
            to("proposal_detail", consultation_id=P.premoderated, proposal_id=P.pending_proposal),
        ),
        refuse(
            "citizen",
            NOT_FOUND,
            to("proposal_detail", consultation_id=P.restricted, proposal_id=P.restricted_proposal),
        ),
    ),
    "proposal_edit": guarded(
        to("proposal_edit", consultation_id=P.open, proposal_id=P.proposal),
        LOGIN,
        refuse("citizen", FORBIDDEN, shows="Nur die Autorin oder der Autor"),  # not theirs
        refuse("citizen", FORBIDDEN, method="post", data=PROPOSAL),
        refuse(
            "citizen",
            NOT_FOUND,
            to("proposal_edit", consultation_id=P.premoderated, proposal_id=P.pending_proposal),
        ),
        refuse(
            "citizen",
            NOT_FOUND,
            to("proposal_edit", consultation_id=P.restricted, proposal_id=P.restricted_proposal),
        ),
    ),
    "proposal_withdraw": guarded(
        to("proposal_withdraw", consultation_id=P.open, proposal_id=P.proposal),
        LOGIN,
        refuse("citizen", FORBIDDEN, shows="Nur die Autorin oder der Autor"),  # not theirs
        refuse("citizen", FORBIDDEN, method="post", data={"confirm": "yes"}),
        refuse(
            "citizen",
            NOT_FOUND,
            to(
                "proposal_withdraw",
                consultation_id=P.premoderated,
                proposal_id=P.pending_proposal,
            ),
            method="post",
            data={"confirm": "yes"},
        ),
    ),
    "proposal_support": guarded(
        to("proposal_support", consultation_id=P.open, proposal_id=P.proposal),
        LOGIN,
        refuse("author", FORBIDDEN),  # one's own proposal
        refuse(
            "citizen",
            NOT_FOUND,
            to("proposal_support", consultation_id=P.premoderated, proposal_id=P.pending_proposal),
        ),
        method="post",
        data={"action": "support"},
    ),
    "proposal_follow": guarded(
        to("proposal_follow", consultation_id=P.open, proposal_id=P.proposal),
        LOGIN,
        refuse(
            "citizen",
            NOT_FOUND,
            to("proposal_follow", consultation_id=P.premoderated, proposal_id=P.pending_proposal),
        ),
        refuse(
            "citizen",
            NOT_FOUND,
            to("proposal_follow", consultation_id=P.restricted, proposal_id=P.restricted_proposal),
        ),
        method="post",
        data={"action": "follow"},
    ),
    "proposal_answer": guarded(
        to("proposal_answer", consultation_id=P.open, proposal_id=P.proposal),
        LOGIN,
        refuse("citizen", FORBIDDEN),
        refuse("author", FORBIDDEN),
        refuse("county_editor", FORBIDDEN),  # speaks for another organisation
        method="post",
        data={"status": "accepted", "text": "Wir setzen das im Frühjahr um."},
    ),
    "notification_list": own(to("notification_list"), ACCOUNT),
    "notification_open": own(
        to("notification_open", notification_id=P.notification),
        "",
        refuse("citizen", NOT_FOUND),  # the author's notification
    ),
    "notification_read": own(
        to("notification_read", notification_id=P.notification),
        "",
        refuse("citizen", NOT_FOUND),  # the author's notification
        method="post",
        data={},
    ),
    "notifications_read_all": own(
        to("notifications_read_all"),
        ACCOUNT + " (marks the person's own notifications)",
        method="post",
        data={},
    ),
    "guard_calm_mode": guarded(
        to("guard_calm_mode", consultation_id=P.open),
        LOGIN,
        refuse("citizen", FORBIDDEN),
        refuse("town_editor", FORBIDDEN),  # editing is not moderating
        # the town's mandate does not cover the county's consultation
        refuse(
            "mandate_holder",
            FORBIDDEN,
            to("guard_calm_mode", consultation_id=P.county_consultation),
        ),
        refuse(
            "citizen", FORBIDDEN, method="post", data={"action": "start", "reason": "Zu viel los."}
        ),
    ),
    # Moderation
    "moderation_log": public(to("moderation_log"), TRANSPARENCY),
    "moderation_transparency_report": public(to("moderation_transparency_report"), TRANSPARENCY),
    "moderation_transparency_report_csv": public(
        to("moderation_transparency_report_csv"), TRANSPARENCY
    ),
    "moderation_decisions_dsa_export": public(to("moderation_decisions_dsa_export"), TRANSPARENCY),
    "moderation_decisions_dsa_export_jsonl": public(
        to("moderation_decisions_dsa_export_jsonl"), TRANSPARENCY
    ),
    "moderation_decision_json": public(
        to("moderation_decision_json", puid=lambda w: w.decision.puid), TRANSPARENCY
    ),
    "moderation_queue": guarded(
        to("moderation_queue"),
        LOGIN,
        refuse("citizen", FORBIDDEN),
        refuse("town_editor", FORBIDDEN),  # no mandate
    ),
    "moderation_report": guarded(
        to("moderation_report", kind="beitrag", pk=P.comment),
        OK,
        # What the public cannot see cannot be reported by it, nor shown by the form.
        refuse("citizen", NOT_FOUND, to("moderation_report", kind="beitrag", pk=P.hidden_comment)),
        refuse("citizen", NOT_FOUND, to("moderation_report", kind="beitrag", pk=P.pending_comment)),
        refuse("citizen", NOT_FOUND, to("moderation_report", kind="beitrag", pk=P.draft_comment)),
        refuse(
            "anonymous",
            NOT_FOUND,
            to("moderation_report", kind="beitrag", pk=P.restricted_comment),
            absent=SECRET,
        ),
        refuse(
            "anonymous",
            NOT_FOUND,
            to("moderation_report", kind="vorschlag", pk=P.restricted_proposal),
            absent=SECRET,
        ),
        refuse(
            "anonymous",
            NOT_FOUND,
            to("moderation_report", kind="vorschlag", pk=P.pending_proposal),
        ),
        refuse(
            "anonymous",
            NOT_FOUND,
            to("moderation_report", kind="option", pk=P.restricted_choice),
        ),
        # A display name is reported where it was seen (moderation_report_display_name):
        # by user id, the form would list who has an account.
        refuse("anonymous", NOT_FOUND, to("moderation_report", kind="anzeigename", pk=P.author)),
    ),
    # The display name of the author of something the visitor may see, reported where it
    # was seen: refused wherever that something is refused.
    "moderation_report_display_name": guarded(
        to("moderation_report_display_name", kind="beitrag", pk=P.comment),
        OK,
        refuse(
            "anonymous",
            NOT_FOUND,
            to("moderation_report_display_name", kind="beitrag", pk=P.restricted_comment),
            absent=SECRET,
        ),
        refuse(
            "citizen",
            NOT_FOUND,
            to("moderation_report_display_name", kind="beitrag", pk=P.hidden_comment),
        ),
        refuse(
            "citizen",
            NOT_FOUND,
            to("moderation_report_display_name", kind="beitrag", pk=P.draft_comment),
            absent=SECRET,
        ),
        refuse(
            "anonymous",
            NOT_FOUND,
            to("moderation_report_display_name", kind="vorschlag", pk=P.pending_proposal),
        ),
        refuse(
            "anonymous",
            NOT_FOUND,
            to("moderation_report_display_name", kind="anzeigename", pk=P.author),
        ),
    ),
    "moderation_report_received": public(
        to("moderation_report_received"),
        "shows only the notice that the visitor's own session has just filed",
        anonymous=redirect(to("consultation_list"), "redirect to the consultations"),
    ),
    "moderation_decide": guarded(
        to("moderation_decide", kind="beitrag", pk=P.comment),
        LOGIN,
        refuse("citizen", FORBIDDEN),
        refuse("author", FORBIDDEN, method="post", data=DECISION),
        refuse("citizen", FORBIDDEN, to("moderation_decide", kind="anzeigename", pk=P.author)),
        # outside the mandate: the county's consultation, and display names (platform only)
        refuse(
            "mandate_holder",
            FORBIDDEN,
            to("moderation_decide", kind="beitrag", pk=P.county_comment),
            method="post",
            data=DECISION,
        ),
        refuse(
            "mandate_holder", FORBIDDEN, to("moderation_decide", kind="anzeigename", pk=P.author)
        ),
    ),
    "moderation_reject_reports": guarded(
        to("moderation_reject_reports", kind="beitrag", pk=P.comment),
        LOGIN,
        refuse("citizen", FORBIDDEN),  # who filed the notice
        refuse(
            "mandate_holder",
            FORBIDDEN,
            to("moderation_reject_reports", kind="beitrag", pk=P.county_comment),
        ),
        method="post",
        data={"reasons": "Kein Verstoß gegen die Netiquette."},
    ),
    "moderation_approve": guarded(
        to("moderation_approve", kind="beitrag", pk=P.pending_comment),
        LOGIN,
        refuse("citizen", FORBIDDEN),
        refuse("author", FORBIDDEN),  # one's own contribution
        method="post",
        data={},
    ),
    "moderation_decision_detail": guarded(
        to("moderation_decision_detail", puid=lambda w: w.decision.puid),
        LOGIN,
        refuse("citizen", FORBIDDEN),  # not affected, no mandate
        refuse("town_editor", FORBIDDEN),
    ),
    "moderation_appeal_create": guarded(
        to("moderation_appeal_create", puid=lambda w: w.decision.puid),
        LOGIN,
        refuse("citizen", FORBIDDEN),
        method="post",
        data={"text": "Ich halte die Entscheidung für falsch."},
    ),
    "moderation_appeals": guarded(to("moderation_appeals"), LOGIN, refuse("citizen", FORBIDDEN)),
    "moderation_appeal_decide": guarded(
        to("moderation_appeal_decide", appeal_id=P.appeal),
        LOGIN,
        refuse("citizen", FORBIDDEN),
        refuse(
            "author", FORBIDDEN, method="post", data={"outcome": "reverse", "reasons": "Selbst."}
        ),
        # who took the decision does not decide the appeal against it
        refuse(
            "mandate_holder",
            FORBIDDEN,
            method="post",
            data={"outcome": "reverse", "reasons": "Ich sehe es jetzt anders."},
        ),
    ),
    "moderation_my_notices": own(to("moderation_my_notices"), ACCOUNT),
    # Feeds, calendars, open data
    "feed_consultations": public(to("feed_consultations"), PUBLIC_LIST),
    "feed_consultation_contributions": guarded(
        to("feed_consultation_contributions", consultation_id=P.open),
        OK,
        *_consultation_refusals("feed_consultation_contributions", who="anonymous"),
    ),
    "feed_organisation": public(to("feed_organisation", slug="musterstadt"), PUBLIC_LIST),
    "feed_statements": public(to("feed_statements"), PUBLIC_LIST),
    "feed_results": public(to("feed_results"), PUBLIC_LIST),
    "consultation_calendar": guarded(
        to("consultation_calendar", consultation_id=P.open),
        OK,
        *_consultation_refusals("consultation_calendar", who="anonymous"),
    ),
    "platform_calendar": public(to("platform_calendar"), PUBLIC_LIST),
    "consultation_export": guarded(
        to("consultation_export", consultation_id=P.open, fmt="csv"),
        OK,
        *_consultation_refusals("consultation_export", who="anonymous", fmt="csv"),
        *_consultation_refusals("consultation_export", who="citizen", fmt="json"),
    ),
    "open_data": public(to("open_data"), PUBLIC_LIST),
    "open_data_catalogue": public(to("open_data_catalogue", fmt="ttl"), PUBLIC_LIST),
    # The cooperative
    "cooperative_home": public(to("cooperative_home"), PUBLIC_PAGE),
    "rule_document_list": public(to("rule_document_list"), RULES),
    "rule_document": public(to("rule_document", slug="netiquette"), RULES),
    "rule_version": public(to("rule_version", slug="netiquette", number=1), RULES),
    "rule_diff": public(to("rule_diff", "?von=1&bis=2", slug="netiquette"), RULES),
    "rule_document_found": guarded(
        to("rule_document_found", slug="satzung"),
        LOGIN,
        refuse("member", FORBIDDEN),  # the board sets a founding version
        refuse("superuser", FORBIDDEN),  # the platform admin has no governance power
        method="post",
        data={"body": "§ 1 Name und Sitz der Genossenschaft."},
    ),
    "motion_list": guarded(to("motion_list"), LOGIN, refuse("citizen", FORBIDDEN)),
    "motion_create": guarded(
        to("motion_create"),
        LOGIN,
        refuse("citizen", FORBIDDEN),
        refuse(
            "citizen",
            FORBIDDEN,
            method="post",
            data=lambda w: {
                "document": w.netiquette.pk,
                "title": "Neue Regel",
                "rationale": "Weil es besser ist.",
                "proposed_body": "Wir sind freundlich.",
            },
        ),
    ),
    "motion_detail": guarded(
        to("motion_detail", motion_id=P.motion), LOGIN, refuse("citizen", FORBIDDEN)
    ),
    "motion_support": guarded(
        to("motion_support", motion_id=P.motion),
        LOGIN,
        refuse("citizen", FORBIDDEN),
        method="post",
        data={},
    ),
    "motion_comment": guarded(
        to("motion_comment", motion_id=P.motion),
        LOGIN,
        refuse("citizen", FORBIDDEN),
        method="post",
        data={"body": "Ich sehe das anders."},
    ),
    "motion_amend": guarded(
        to("motion_amend", amends_id=P.motion), LOGIN, refuse("citizen", FORBIDDEN)
    ),
    "ballot_create": guarded(
        to("ballot_create", motion_id=P.motion),
        LOGIN,
        refuse("member", FORBIDDEN),  # the board schedules ballots
        refuse(
            "member",
            FORBIDDEN,
            method="post",
            data={"opens_at": _soon(1), "closes_at": _soon(8), "majority": "simple"},
        ),
    ),
    "ballot_detail": guarded(
        to("ballot_detail", ballot_id=P.ballot), LOGIN, refuse("citizen", FORBIDDEN)
    ),
    "ballot_vote": guarded(
        to("ballot_vote", ballot_id=P.ballot),
        LOGIN,
        refuse("citizen", FORBIDDEN),
        refuse("board", FORBIDDEN),  # board powers include no vote
        method="post",
        data={"choice": "yes"},
    ),
    "ballot_proxy": guarded(
        to("ballot_proxy", ballot_id=P.ballot),
        LOGIN,
        refuse("citizen", FORBIDDEN),
        method="post",
        data=lambda w: {"principal": w.membership.pk, "holder": w.membership.pk},
    ),
    "ballot_proxy_revoke": guarded(
        to("ballot_proxy_revoke", ballot_id=P.ballot, proxy_id=P.proxy),
        LOGIN,
        refuse("citizen", FORBIDDEN),
        refuse("second_member", NOT_FOUND),  # holds the proxy, did not give it
        method="post",
        data={},
    ),
    "ballot_receipt": guarded(
        to("ballot_receipt", ballot_id=P.ballot), LOGIN, refuse("citizen", FORBIDDEN)
    ),
    "audit_log": public(to("audit_log"), "the public, hash-chained audit log"),
    "membership_mine": own(to("membership_mine"), ACCOUNT + " (anyone may apply)"),
    "membership_resign": Access(
        to("membership_resign", member_id=P.membership),
        # Looked up among the person's own memberships first: nobody's, for anonymous.
        anonymous=NOT_FOUND,
        refused=(
            refuse("citizen", NOT_FOUND),  # someone else's membership
            refuse("second_member", NOT_FOUND),
        ),
        method="post",
        data=lambda w: {
            f"resign-{w.membership.pk}-effective_on": (
                timezone.localdate() + timedelta(days=30)
            ).isoformat()
        },
    ),
    "member_register": guarded(
        to("member_register"),
        LOGIN,
        refuse("member", FORBIDDEN),
        refuse("superuser", FORBIDDEN),  # names and addresses: the board only
    ),
    "member_register_csv": guarded(to("member_register_csv"), LOGIN, refuse("member", FORBIDDEN)),
    "membership_decide": guarded(
        to("membership_decide", member_id=P.application),
        LOGIN,
        refuse("member", FORBIDDEN),
        method="post",
        data=lambda w: {f"decide-{w.application.pk}-decision": "admit"},
    ),
    "membership_exclude": guarded(
        to("membership_exclude", member_id=lambda w: w.second_member.memberships.get().pk),
        LOGIN,
        refuse("member", FORBIDDEN),
        method="post",
        data=lambda w: {
            f"exclude-{w.second_member.memberships.get().pk}-effective_on": (
                timezone.localdate().isoformat()
            ),
            f"exclude-{w.second_member.memberships.get().pk}-reason": "Schadet der eG.",
        },
    ),
    "mandate_list": public(to("mandate_list"), "who holds which moderation mandate is public"),
    "mandate_create": guarded(
        to("mandate_create"),
        LOGIN,
        refuse("member", FORBIDDEN),
        refuse("superuser", FORBIDDEN),
        refuse(
            "member",
            FORBIDDEN,
            method="post",
            data=lambda w: {
                "holder_member": w.membership.pk,
                "scope": "platform",
                "valid_from": _soon(0),
            },
        ),
    ),
    "mandate_revoke": guarded(
        to("mandate_revoke", mandate_id=P.mandate),
        LOGIN,
        refuse("member", FORBIDDEN),
        method="post",
        data=lambda w: {f"revoke-{w.mandate.pk}-reason": "Ohne Grund."},
    ),
    # Wagtail's front end
    "wagtailcore_authenticate_with_password": public(
        to(
            "wagtailcore_authenticate_with_password",
            page_view_restriction_id=P.page_restriction,
            page_id=P.restricted,
        ),
        "the password form of a protected page: the password is the credential; what it "
        "protects is refused at wagtail_serve",
    ),
    "wagtail_serve": guarded(
        path("/"),
        OK,
        # A password-protected consultation: the password form, not the page.
        refuse("citizen", OK, lambda w: w.restricted.url, absent=SECRET),
        refuse("anonymous", OK, lambda w: w.restricted.url, absent=SECRET),
        refuse("citizen", NOT_FOUND, lambda w: w.draft.get_url_parts()[2]),
    ),
    # One sign-in for the whole site, allauth's (issue 13, finding 1): Wagtail's own sign-in
    # and password reset are taken by earlier patterns that send people to allauth. A
    # password posted to them signs nobody in; a reset asked for there sends no mail.
    "admin/login/": guarded(
        path("/admin/login/?next=/admin/"),
        LOGIN,
        refuse(
            "anonymous",
            ANY_STATUS.also(stays_anonymous=True),
            method="post",
            data=sign_in_as("superuser"),
        ),
        # signed in, but the admin is not theirs: the start page, not the admin
        refuse("citizen", redirect("/", "redirect to the start page")),
    ),
    "_util/login/": guarded(
        path("/_util/login/?next=/"),
        LOGIN,
        refuse(
            "anonymous",
            ANY_STATUS.also(stays_anonymous=True),
            method="post",
            data=sign_in_as("citizen"),
        ),
    ),
    "^admin/password_reset/(?P<rest>.*)$": guarded(
        path("/admin/password_reset/"),
        TO_ALLAUTH_RESET,
        refuse(
            "anonymous",
            ANY_STATUS.also(sends_no_mail=True),
            method="post",
            data=lambda w: {"email": w.superuser.email},
        ),
        refuse(
            "anonymous",
            TO_ALLAUTH_RESET,
            path("/admin/password_reset/confirm/MQ/ungueltig-token/"),
            method="post",
            data={"new_password1": "Ein-neues-Passwort-1", "new_password2": "Ein-neues-Passwort-1"},
        ),
    ),
    "wagtailadmin_login": Shadowed(
        "admin/login/", to("wagtailadmin_login"), "Wagtail's sign-in form (password only)"
    ),
    "wagtailcore_login": Shadowed(
        "_util/login/", to("wagtailcore_login"), "Wagtail's sign-in for private pages"
    ),
    "wagtailadmin_password_reset": Shadowed(
        PASSWORD_RESET, to("wagtailadmin_password_reset"), "Wagtail's password reset"
    ),
    "wagtailadmin_password_reset_done": Shadowed(
        PASSWORD_RESET, to("wagtailadmin_password_reset_done"), "Wagtail's password reset"
    ),
    "wagtailadmin_password_reset_confirm": Shadowed(
        PASSWORD_RESET,
        to("wagtailadmin_password_reset_confirm", uidb64="MQ", token="ungueltig-token"),
        "Wagtail's password reset",
    ),
    "wagtailadmin_password_reset_complete": Shadowed(
        PASSWORD_RESET, to("wagtailadmin_password_reset_complete"), "Wagtail's password reset"
    ),
    # The admin views that act on one page of the town's area (the rest: AREAS below).
    "wagtailadmin_pages:edit": _admin_view("wagtailadmin_pages:edit", page_id=P.draft),
    "wagtailadmin_pages:delete": _admin_view("wagtailadmin_pages:delete", page_id=P.open),
    "wagtailadmin_pages:unpublish": _admin_view("wagtailadmin_pages:unpublish", page_id=P.open),
    "wagtailadmin_pages:copy": _admin_view("wagtailadmin_pages:copy", page_id=P.open),
    "wagtailadmin_pages:move": _admin_view("wagtailadmin_pages:move", page_to_move_id=P.open),
    "wagtailadmin_pages:set_privacy": _admin_view("wagtailadmin_pages:set_privacy", page_id=P.open),
    "wagtailadmin_pages:lock": _admin_view(
        "wagtailadmin_pages:lock", post_only=True, page_id=P.open
    ),
    "wagtailadmin_pages:add_subpage": _admin_view(
        "wagtailadmin_pages:add_subpage", parent_page_id=P.town_index
    ),
    "wagtailadmin_pages:add": _admin_view(
        "wagtailadmin_pages:add",
        content_type_app_name="participation_consultations",
        content_type_model_name="consultationpage",
        parent_page_id=P.town_index,
    ),
    "wagtailadmin_pages:revisions_revert": _admin_view(
        "wagtailadmin_pages:revisions_revert",
        page_id=P.draft,
        revision_id=lambda w: w.draft.latest_revision_id,
    ),
    # Approving the town's draft in its four-eyes workflow.
    "wagtailadmin_pages:workflow_action": _admin_view(
        "wagtailadmin_pages:workflow_action",
        page_id=P.draft,
        action_name="approve",
        task_state_id=P.task_state,
    ),
    "wagtailsnippets_cooperative_organisations_organisation:edit": _admin_view(
        "wagtailsnippets_cooperative_organisations_organisation:edit", pk=P.town
    ),
    "wagtailusers_users:index": _admin_view("wagtailusers_users:index"),
    "wagtailadmin_sprite": public(to("wagtailadmin_sprite"), "the admin's icons, static"),
    "wagtailadmin_javascript_catalog": public(
        to("wagtailadmin_javascript_catalog"), "the admin's translations for scripts, static"
    ),
    "admin/.*/$": public(
        path("/admin/gibt-es-nicht/"),
        "an unknown admin address: nothing behind it (404 for people with admin access)",
        anonymous=LOGIN,
    ),
}


# --- the Wagtail admin: one rule for everything behind `require_admin_access` ------------


def _admin_object(w: World, route: Route, parameter: str) -> Any:
    """The world's object for an admin URL parameter."""
    name = route.name or route.route
    pages = {"page_id", "parent_page_id", "page_to_move_id", "page_pk"}
    if parameter in pages:
        return w.draft.pk
    if parameter == "destination_id":
        return w.town_index.pk
    if parameter == "pk":
        for prefix, value in (
            ("wagtailadmin_api:documents", w.document.pk),
            ("wagtailadmin_api:images", w.image.pk),
            ("wagtailadmin_api:pages", w.draft.pk),
            ("wagtailadmin_pages:revisions_compare", w.draft.pk),
            ("wagtailadmin_collections", w.private_collection.pk),
            ("wagtailadmin_workflows:edit_task", w.task_state.task_id),
            ("wagtailadmin_workflows:enable_task", w.task_state.task_id),
            ("wagtailadmin_workflows:disable_task", w.task_state.task_id),
            ("wagtailadmin_workflows", w.workflow_state.workflow_id),
            ("wagtailsnippets_participation_guard", w.guard_config.pk),
            ("wagtailsnippetchoosers_participation_guard", w.guard_config.pk),
            ("wagtailsnippets_cms_accessibilityfeedback", w.accessibility_feedback.pk),
            ("wagtailsnippetchoosers_cms_accessibilityfeedback", w.accessibility_feedback.pk),
            ("wagtailsnippets_cooperative_organisations", w.town.pk),
            ("wagtailsnippetchoosers_cooperative_organisations", w.town.pk),
            ("wagtailsites", w.site.pk),
            ("wagtailusers_users", w.citizen.pk),
            ("wagtailusers_groups", w.group.pk),
            ("wagtaildocs_chooser", w.document.pk),
            ("wagtailimages_chooser", w.image.pk),
            ("wagtailsettings", w.site.pk),
            ("admin/settings/", w.site.pk),
        ):
            if name.startswith(prefix):
                return value
        raise LookupError(f"no object for pk in {name}")
    return {
        "revision_id": w.draft.latest_revision_id,
        "revision_id_a": "earliest",
        "revision_id_b": "latest",
        "task_state_id": w.task_state.pk,
        "workflow_state_id": w.workflow_state.pk,
        "task_id": w.task_state.task_id,
        "workflow_pk": w.workflow_state.workflow_id,
        "image_id": w.image.pk,
        "document_id": w.document.pk,
        "doc_id": w.document.pk,
        # No upload is in progress in the world: any id is refused before it is looked up.
        "uploaded_file_id": 1,
        "redirect_id": w.redirect.pk,
        "session_id": w.editing_session.pk,
        "collection_id": w.private_collection.pk,
        "object_id": str(w.draft.pk),
        "app_label": "wagtailcore",
        "model_name": "page",
        "app_name": "cms",
        "content_type_app_name": "participation_consultations",
        "content_type_model_name": "consultationpage",
        "action_name": "approve",
        "action": "delete",
        "filter_spec": "original",
    }[parameter]


def admin_url(w: World, route: Route) -> str:
    kwargs = {p: _admin_object(w, route, p) for p, _converter in route.converters}
    if route.route.startswith("admin/settings/"):
        kwargs["model_name"] = "sitesettings"
    if route.name:
        return reverse(route.name, kwargs=kwargs)
    # Patterns whose name is shared: reverse picks the one whose parameters were given.
    shared = {
        "admin/workflows/remove/<int:page_pk>/": "wagtailadmin_workflows:remove",
        "admin/workflows/remove/<int:page_pk>/<int:workflow_pk>/": "wagtailadmin_workflows:remove",
        "admin/settings/<slug:app_name>/<slug:model_name>/": "wagtailsettings:edit",
        "admin/settings/<slug:app_name>/<slug:model_name>/<int:pk>/": "wagtailsettings:edit",
    }
    if route.route == "admin/test404/":
        return "/admin/test404/"
    if route.route in shared:
        return reverse(shared[route.route], kwargs=kwargs)
    raise LookupError(route.route)


@dataclass(frozen=True)
class Area:
    """One rule for every pattern under `prefix` that has no entry of its own: each of them
    is requested anonymously (GET) and by each refused check (with its method)."""

    prefix: str
    url: Callable[[World, Route], str]
    anonymous: Outcome
    refused: tuple[Check, ...]
    reason: str = ""

    def covers(self, route: Route) -> bool:
        return route.route.startswith(self.prefix) and route.key not in ROUTES


AREAS: dict[str, Area] = {
    # Every view of the Wagtail admin is wrapped in `require_admin_access` (anonymous
    # visitors and people without `wagtailadmin.access_admin` are sent away) before it looks
    # anything up; the method does not matter to it. A citizen is refused everywhere, and a
    # form sent anyway changes nothing.
    "admin/": Area(
        prefix="admin/",
        url=admin_url,
        anonymous=LOGIN,
        refused=(refuse("citizen", ADMIN_NO_ACCESS, method="post"),),
        reason="the Wagtail admin: editors of an organisation and the platform admin only",
    ),
}


# --- WebSocket routes --------------------------------------------------------------------

ACCEPTED = "accepted"
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404


@dataclass(frozen=True)
class SocketCheck:
    who: str
    path: Builder
    answer: str | int  # ACCEPTED or the close code


@dataclass(frozen=True)
class SocketAccess:
    anonymous: SocketCheck
    refused: tuple[SocketCheck, ...]
    # Someone who may connect where a refused person may not: proves that the session is
    # read, so that a refusal is the access control's and not a lost cookie.
    control: tuple[SocketCheck, ...] = ()


def _socket(route: str) -> Callable[[Builder], Builder]:
    def build(page: Builder) -> Builder:
        return lambda w: "/" + route.replace("<int:page_id>", str(page(w)))

    return build


_live = _socket("ws/consultations/<int:page_id>/")
_presence = _socket("ws/consultations/<int:page_id>/presence/")

WEBSOCKET_ROUTES: dict[str, SocketAccess] = {
    "ws/consultations/<int:page_id>/": SocketAccess(
        anonymous=SocketCheck("anonymous", _live(P.open), ACCEPTED),
        refused=(
            SocketCheck("anonymous", _live(P.draft), CLOSE_FORBIDDEN),
            SocketCheck("citizen", _live(P.draft), CLOSE_FORBIDDEN),
            SocketCheck("anonymous", _live(P.restricted), CLOSE_FORBIDDEN),
            SocketCheck("citizen", _live(P.restricted), CLOSE_FORBIDDEN),
            SocketCheck("county_editor", _live(P.draft), CLOSE_FORBIDDEN),
        ),
        control=(SocketCheck("town_editor", _live(P.draft), ACCEPTED),),
    ),
    "ws/consultations/<int:page_id>/presence/": SocketAccess(
        anonymous=SocketCheck("anonymous", _presence(P.open), ACCEPTED),
        refused=(
            SocketCheck("citizen", _presence(P.draft), CLOSE_FORBIDDEN),
            SocketCheck("anonymous", _presence(P.restricted), CLOSE_FORBIDDEN),
        ),
        control=(SocketCheck("town_editor", _presence(P.draft), ACCEPTED),),
    ),
    "ws/moderation/": SocketAccess(
        anonymous=SocketCheck("anonymous", path("/ws/moderation/"), CLOSE_FORBIDDEN),
        refused=(
            SocketCheck("citizen", path("/ws/moderation/"), CLOSE_FORBIDDEN),
            SocketCheck("former_moderator", path("/ws/moderation/"), CLOSE_FORBIDDEN),
        ),
        control=(SocketCheck("mandate_holder", path("/ws/moderation/"), ACCEPTED),),
    ),
}
