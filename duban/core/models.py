"""Base models every app builds on."""

from django.db import models


class TimeStampedModel(models.Model):
    """created/updated times, set by the database layer, never by forms."""

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True
