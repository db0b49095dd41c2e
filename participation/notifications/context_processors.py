from participation.notifications.selectors import unread_count


def notifications(request) -> dict:
    """The unread count for the site header (one query, only for people who are logged in)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user)}
