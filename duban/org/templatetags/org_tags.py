from __future__ import annotations

from django import template

from duban.audit.services import mask_phone as _mask

register = template.Library()


@register.filter
def masked_phone(value: str | None) -> str:
    """A phone number as the directory shows it: 139****1234, never in full."""
    return _mask(value) if value else ""


@register.filter
def depth_class(region) -> str:
    """A CSS class indenting a region row by its depth in the tree (no inline styles: CSP)."""
    return f"depth-{min(region.depth, 6)}"
