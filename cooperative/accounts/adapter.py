import secrets

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import user_username
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.core.mail import EmailMultiAlternatives

from cooperative import network
from cooperative.accounts.tasks import email_send


def user_display(user) -> str:
    """How allauth names a user in messages and mails: the pseudonym, never the username."""
    return user.display_name or str(user)


class AccountAdapter(DefaultAccountAdapter):
    """Sends allauth's mails through the task queue instead of inside the request."""

    def send_mail(self, template_prefix, email, context) -> None:
        # The same context allauth's own send_mail gives its templates (site name, request).
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        html_body = None
        if isinstance(message, EmailMultiAlternatives):
            for content, mimetype in message.alternatives:
                if mimetype == "text/html":
                    html_body = str(content)
        email_send.enqueue(
            subject=str(message.subject),
            body=str(message.body),
            to=list(message.to),
            from_email=message.from_email,
            html_body=html_body,
            headers={k: str(v) for k, v in message.extra_headers.items()},
        )

    def save_user(self, request, user, form, commit=True):
        # Set the pseudonym before the first save so no account ever exists without one.
        user.display_name = form.cleaned_data["display_name"]
        return super().save_user(request, user, form, commit=commit)

    def get_client_ip(self, request) -> str:
        # allauth's rate limits (login, sign-up, password reset) count per address: the one
        # derived from the trusted proxies, not allauth's own reading of X-Forwarded-For.
        return network.client_ip(request)

    def populate_username(self, request, user) -> None:
        # Usernames are internal only; never derive them from the e-mail address.
        if not user_username(user):
            user_username(user, f"u{secrets.token_hex(6)}")
