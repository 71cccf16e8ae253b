from django import template

from ..numbers import figure_text

register = template.Library()


@register.filter
def figure(value) -> str:
    """A figure without trailing zeros (7.3800 -> 7.38); an em dash for none."""
    return "—" if value is None or value == "" else figure_text(value)
