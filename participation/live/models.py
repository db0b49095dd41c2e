from django.db import models


class LiveEvent(models.Model):
    """An event as it was sent to readers, kept so that a client can catch up after a gap.

    `data` is the JSON text of the event without its id, rendered once; the frame a
    client receives is that text with the id put in front.
    """

    room = models.CharField(max_length=80)
    type = models.CharField(max_length=40)
    data = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["room", "id"], name="live_event_room_idx")]

    def __str__(self) -> str:
        return f"{self.room} #{self.pk} {self.type}"

    @property
    def frame(self) -> str:
        return frame_text(self.pk, self.data)


def frame_text(event_id: int, data: str) -> str:
    """`{"id": N, ...data}` without decoding and encoding the JSON again."""
    return f'{{"id":{event_id},{data[1:]}' if data != "{}" else f'{{"id":{event_id}}}'
