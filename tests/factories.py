"""factory_boy factories for the objects most tests need."""

import base64
import secrets
from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Collection, Locale, Page, Site

from cooperative.accounts.totp import totp_code
from cooperative.organisations.models import Organisation
from cooperative.organisations.services import organisation_role_grant
from participation.consultations.models import (
    ConsultationIndexPage,
    ConsultationPage,
    ConsultationPhase,
)
from participation.consultations.services import organisation_area_setup

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Teilnehmende {n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        if create:
            self.save()


def totp_authenticator(user) -> str:
    """Give `user` a TOTP authenticator, as activating one in the account does, with a new
    secret each time (a code counts once, and SQLite hands the same user ids to one test
    after another); returns the secret."""
    secret = base64.b32encode(secrets.token_bytes(20)).decode()
    Authenticator.objects.update_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": encrypt(secret)}}
    )
    return secret


def log_in_with_second_factor(client, user) -> None:
    """Sign `user` in as staff must: allauth's login form with the password, then the code
    from their TOTP authenticator. The session then holds what a real sign-in leaves in it,
    allauth's record of both steps, which staff need to act (cooperative/accounts/
    second_factor.py); `client.force_login` leaves no such record."""
    client.logout()  # allauth's login page sends someone signed in away
    secret = totp_authenticator(user)
    if not user.check_password(TEST_PASSWORD):
        user.set_password(TEST_PASSWORD)
        user.save(update_fields=["password"])
    client.get("/konto/login/")  # the CSRF cookie, for clients that check it
    csrf = {"csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    response = client.post(
        "/konto/login/", {"login": user.email, "password": TEST_PASSWORD, **csrf}
    )
    assert response.status_code == 302 and response["Location"] == "/konto/2fa/authenticate/", (
        f"password step for {user.email} (verified address?): {response.status_code}"
    )
    response = client.post("/konto/2fa/authenticate/", {"code": totp_code(secret), **csrf})
    assert response.status_code == 302, f"code step for {user.email}: {response.status_code}"
    assert client.session["_auth_user_id"] == str(user.pk)
    # allauth's "signed in" message would show on the next page the test looks at.
    client.cookies.pop("messages", None)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Gemeinde {n}")
    slug = factory.Sequence(lambda n: f"gemeinde-{n}")
    kind = Organisation.Kind.MUNICIPALITY


def organisation_with_area(**kwargs) -> tuple[Organisation, ConsultationIndexPage]:
    organisation = OrganisationFactory(**kwargs)
    index = organisation_area_setup(organisation=organisation, home=default_home())
    return organisation, index


def grant(user, organisation: Organisation, role: str) -> None:
    organisation_role_grant(user=user, organisation=organisation, role=role)


def default_home():
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None:
        return site.root_page.specific
    # A transactional test flushed what the migrations made: make it again.
    from wagtail.coreutils import get_supported_content_language_variant

    from cms.models import HomePage

    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = HomePage(title="Allmende", slug="home")
    root.add_child(instance=home)
    Site.objects.create(
        hostname="localhost", root_page=home, is_default_site=True, site_name="Allmende"
    )
    return home


def phase_plan(state: str) -> list[dict]:
    """Phases that put a consultation in `state` now (open phase allows every action)."""
    now = timezone.now()
    day = timedelta(days=1)
    Kind = ConsultationPhase.Kind
    offsets = {
        "upcoming": 5,
        "open": -5,
        "evaluation": -30,
        "finished": -60,
    }[state]
    start = now + offsets * day
    plan = [
        (Kind.PARTICIPATION, start, start + 10 * day),
        (Kind.EVALUATION, start + 10 * day, start + 20 * day),
        (Kind.RESULT, start + 20 * day, start + 400 * day),
    ]
    if state == "finished":
        plan[2] = (Kind.RESULT, start + 20 * day, now + 400 * day)
    if state == "evaluation":
        plan[1] = (Kind.EVALUATION, start + 10 * day, now + 5 * day)
        plan[2] = (Kind.RESULT, now + 5 * day, now + 400 * day)
    return [
        {
            "kind": kind,
            "starts_at": s,
            "ends_at": e,
            "allows_comment": kind == Kind.PARTICIPATION,
            "allows_vote": kind == Kind.PARTICIPATION,
            "allows_propose": kind == Kind.PARTICIPATION,
            "allows_support": kind == Kind.PARTICIPATION,
        }
        for kind, s, e in plan
    ]


def consultation(
    index: ConsultationIndexPage,
    *,
    title: str = "Radwege",
    state: str = "open",
    tags: tuple[str, ...] = (),
    live: bool = True,
    **fields,
) -> ConsultationPage:
    page = ConsultationPage(
        title=title,
        slug=fields.pop("slug", None) or title.lower().replace(" ", "-"),
        summary=fields.pop("summary", f"Worum es bei {title} geht."),
        live=live,
        **fields,
    )
    for phase in phase_plan(state):
        page.phases.add(ConsultationPhase(**phase))
    if tags:
        page.tags.add(*tags)
    index.add_child(instance=page)
    if live:
        page.save_revision().publish()
    return page


def organisation_mandate(organisation: Organisation, *, scope: str = "organisation", tag: str = ""):
    """A moderation mandate held by `organisation` (exercised by its moderators and
    representatives) for its own consultations (or a topic, or the platform): moderation
    needs a mandate, the organisation's moderator role alone does not suffice."""
    from cooperative.mandates.models import ModerationMandate
    from cooperative.mandates.services import mandate_grant

    existing = ModerationMandate.objects.filter(
        holder_organisation=organisation, scope=scope, revoked_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    return mandate_grant(
        by=UserFactory(),
        holder_organisation=organisation,
        scope=scope,
        scope_organisation=organisation if scope == "organisation" else None,
        scope_tag=tag,
        valid_from=timezone.now() - timedelta(days=1),
    )


def rate_limits(settings, action: str, **limits: str) -> None:
    """Set the rate limits of one action for a test (pytest-django's `settings`):
    `rate_limits(settings, "comment", person="1/minute")`."""
    merged = {**settings.RATE_LIMITS}
    merged[action] = {**merged[action], **limits}
    settings.RATE_LIMITS = merged
