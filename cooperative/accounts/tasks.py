from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def email_send(
    *,
    subject: str,
    body: str,
    to: list[str],
    from_email: str | None = None,
    html_body: str | None = None,
    headers: dict[str, str] | None = None,
) -> int:
    """Deliver one e-mail in the background, so a slow mail server never blocks a request."""
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=from_email, to=to, headers=headers or {}
    )
    if html_body:
        message.attach_alternative(html_body, "text/html")
    return message.send()
