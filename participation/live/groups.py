"""Names of the channel-layer groups that events are delivered to."""


def consultation_group(page_id: int) -> str:
    return f"consultation.{page_id}"


def user_group(user_id: int) -> str:
    return f"user.{user_id}"
