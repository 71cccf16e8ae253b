"""{% attachments_panel owner %}: the attachment list and upload form for any registered object."""

from __future__ import annotations

from django import template

from duban.attachments import queries

register = template.Library()


@register.inclusion_tag("attachments/partials/attachments.html", takes_context=True)
def attachments_panel(context, owner, kind: str = ""):
    request = context["request"]
    panel = queries.panel(request.user, owner, kind=kind, next_url=request.get_full_path())
    return {**panel, "request": request, "csrf_token": context.get("csrf_token")}
