"""`{% load duban_lights %}` then `{{ light|light_badge }}`: the coloured badge with its reason.

`{{ light.badge }}` does the same; the filter also takes `light_badge:"short"` (colour label
only, for narrow columns, the reason kept in the title) and renders None as nothing.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from duban.core.lights import Light

register = template.Library()


@register.filter
def light_badge(light: Light | None, style: str = "") -> SafeString | str:
    if light is None:
        return ""
    if style == "short":
        return format_html(
            '<span class="light light-{}" title="{}">{}</span>', light.colour, light.reason, light.label
        )
    return light.badge()
