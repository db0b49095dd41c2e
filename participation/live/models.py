from django.db import models
from django.db.models import Q


class LiveEvent(models.Model):
    """An event as it was sent to readers, kept so that a client can catch up after a gap.

    `data` is the JSON text of the event without its id, rendered once; the frame a
    client receives is that text with the id put in front.

    `subject` names what the event shows ("comment:42"; empty for events about nothing
    that can be taken back, such as presence or calm mode). It lets a later write bring
    the stored frames of the same thing in line with what the page shows now (events.py:
    `subject_rewrite`, `subject_withdraw`), so that catch-up never replays content that
    has since been hidden, removed, edited or erased.
    """

    room = models.CharField(max_length=80)
    type = models.CharField(max_length=40)
    subject = models.CharField(max_length=80, blank=True, default="")
    data = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["room", "id"], name="live_event_room_idx"),
            models.Index(
                fields=["subject"], name="live_event_subject_idx", condition=~Q(subject="")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.room} #{self.pk} {self.type}"

    @property
    def frame(self) -> str:
        return frame_text(self.pk, self.data)


class LiveHorizon(models.Model):
    """How far back stored events go: every event up to `pruned_through` may be gone.

    One row. Pruning raises it before it deletes anything, so a reader who asks for what
    came after an older id is told to reload (`resync`) instead of being sent a history
    with holes in it.
    """

    pruned_through = models.BigIntegerField(default=0)
    pruned_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"live events pruned through #{self.pruned_through}"


def frame_text(event_id: int, data: str) -> str:
    """`{"id": N, ...data}` without decoding and encoding the JSON again."""
    return f'{{"id":{event_id},{data[1:]}' if data != "{}" else f'{{"id":{event_id}}}'
