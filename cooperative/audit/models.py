from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One governance act, append-only and chained to the one before by its hash.

    `public` is what anyone may read on the public log; `private` holds personal details
    (member numbers, names) that only the board sees. Both are covered by the hash, so
    neither can be changed unnoticed.
    """

    seq = models.PositiveBigIntegerField(_("sequence number"), unique=True)
    occurred_at = models.DateTimeField(_("time"))
    kind = models.CharField(_("kind"), max_length=60)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    public = models.JSONField(_("public details"), default=dict, blank=True)
    private = models.JSONField(_("personal details"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind}"
