from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One governance act, append-only and chained to the one before by its hash.

    Published: `seq`, `occurred_at` (to the minute), `kind`, `object_type`, `object_id`,
    `public`, `commitment`, `prev_hash`, `hash`. Never published: `private` (member
    numbers, user ids, names, choices) and its `salt`; the commitment binds them into the
    chain without revealing them (see `cooperative/audit/chain.py`).
    """

    seq = models.PositiveBigIntegerField(_("sequence number"), unique=True)
    occurred_at = models.DateTimeField(_("time"))
    kind = models.CharField(_("kind"), max_length=60)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    public = models.JSONField(_("public details"), default=dict, blank=True)
    private = models.JSONField(_("personal details"), default=dict, blank=True)
    salt = models.CharField(_("salt of the personal details"), max_length=64)
    commitment = models.CharField(_("commitment to the personal details"), max_length=64)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind}"
