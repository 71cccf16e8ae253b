"""On-site supervision visits (现场督导): who went, what was seen, photos, decisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.core.models import TimeStampedModel
from duban.org.validators import validate_no_control_chars

from .base import ScopedQuerySet


class SiteVisit(TimeStampedModel):
    """A visit to a project's site; photos hang on its attachments (kind photo, EXIF GPS/time kept)."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("项目"), on_delete=models.CASCADE, related_name="site_visits"
    )
    date = models.DateField(_("督导日期"))
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("带队领导"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_site_visits",
    )
    visitors: models.ManyToManyField = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("督导人员"),
        through="SiteVisitor",
        related_name="site_visits",
        blank=True,
    )
    notes = models.TextField(_("现场情况"), max_length=4000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("现场督导")
        verbose_name_plural = _("现场督导")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.project} · {self.date.isoformat()}"


class SiteVisitor(models.Model):
    """One person on a visit (the leader, a steward, the supervision office). Counts their days on site."""

    visit = models.ForeignKey(SiteVisit, on_delete=models.CASCADE, related_name="visitor_rows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("督导人员")
        verbose_name_plural = _("督导人员")
        constraints = [models.UniqueConstraint(fields=["visit", "user"], name="site_visitor_once")]

    def __str__(self) -> str:
        return str(self.user)


class SiteVisitDecision(TimeStampedModel):
    """A decision taken on site; it may be turned into a problem assigned to a unit."""

    visit = models.ForeignKey(
        SiteVisit, verbose_name=_("现场督导"), on_delete=models.CASCADE, related_name="decisions"
    )
    text = models.CharField(_("议定事项"), max_length=300, validators=[validate_no_control_chars])
    sequence = models.PositiveSmallIntegerField(_("顺序"), default=0)
    problem = models.OneToOneField(
        "projects.Problem",
        verbose_name=_("已转问题"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visit_decision",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("督导议定事项")
        verbose_name_plural = _("督导议定事项")
        ordering = ["visit_id", "sequence", "id"]

    def __str__(self) -> str:
        return self.text
