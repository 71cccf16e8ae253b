from django import template

from duban.notifications.queries import BELL_MAX, unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notification_count(context) -> int:
    """One COUNT query per page, for the bell in the header."""
    request = context.get("request")
    return unread_count(getattr(request, "user", None))


@register.filter
def bell_number(value: int) -> str:
    return f"{BELL_MAX}+" if value > BELL_MAX else str(value)
