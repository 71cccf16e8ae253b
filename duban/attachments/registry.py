"""Which models may own attachments.

A model is attachable once its app registers it (`register_owner(Model)` in AppConfig.ready()).
Pages name the owner by its lower-case label ("org.unit") and the policy walks this list to
decide which attachments a user may see, so an unregistered model can own nothing.
"""

from __future__ import annotations

from django.db.models import Model

_OWNERS: dict[str, type[Model]] = {}


def register_owner(model: type[Model]) -> type[Model]:
    _OWNERS[model._meta.label_lower] = model
    return model


def owner_models() -> list[type[Model]]:
    return list(_OWNERS.values())


def owner_model(label: str) -> type[Model] | None:
    """The registered model for "app.model", or None (pages answer 404)."""
    return _OWNERS.get(label.lower())
