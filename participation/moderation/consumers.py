"""The moderators' live queue: `ws/moderation/` joins one group per mandate scope the user
holds (platform admins: the platform group) and forwards queue events; people without a
mandate are refused with 4403. Push-only, like the consultation stream it builds on."""

from __future__ import annotations

from channels.db import database_sync_to_async

from cooperative.accounts.second_factor import scope_staff_without_second_factor
from participation.gate.queue import PLATFORM_GROUP, groups_for_mandates
from participation.live.consumers import CLOSE_FORBIDDEN, ConsultationLiveConsumer, _since
from participation.live.hub import hub


def _queue_groups_for(user, scope) -> list[str]:
    from cooperative.mandates.selectors import mandates_for_user

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    # The queue is the moderators' view: like their pages, only with the second factor.
    if scope_staff_without_second_factor(scope):
        return []
    if user.is_superuser:
        return [PLATFORM_GROUP]
    return groups_for_mandates(mandates_for_user(user))


queue_groups_for = database_sync_to_async(_queue_groups_for)


class ModerationQueueConsumer(ConsultationLiveConsumer):
    async def connect(self) -> None:
        user = self.scope["user"]
        rooms = await queue_groups_for(user, self.scope)
        if not rooms:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.accept()
        self.rooms = tuple(rooms)
        since = _since(self.scope)
        if since is not None:
            self._buffer = []
        for room in self.rooms:
            await hub.join(room, self)
        if since is not None:
            await self._catch_up(since)
