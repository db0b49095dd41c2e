"""Background work of the shitstorm guard: the surge check and the alert mails."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tasks import task

from participation.guard import services
from participation.guard.models import SurgeAlert


@task()
def surge_check_task(*, consultation_id: int) -> int:
    """Measure one consultation's activity; the number of alerts raised."""
    from participation.consultations.models import ConsultationPage

    consultation = ConsultationPage.objects.filter(pk=consultation_id).first()
    if consultation is None:
        return 0
    return len(services.surge_check(consultation=consultation))


@task()
def surge_alert_mail_task(*, alert_id: int, user_id: int) -> int:
    alert = SurgeAlert.objects.select_related("consultation").filter(pk=alert_id).first()
    user = get_user_model().objects.filter(pk=user_id).first()
    if alert is None or user is None:
        return 0
    return services.surge_alert_mail_send(alert=alert, user=user)
