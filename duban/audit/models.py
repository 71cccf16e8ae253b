"""The append-only audit trail.

Rows are written only by `duban.audit.record`, inside the transaction of the change they
describe. The database itself refuses UPDATE and DELETE on this table (see the migration
that installs the triggers); `duban audit verify` checks the keyed hash chain.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .events import AuditEvent, Outcome


class AuditEntryQuerySet(models.QuerySet):
    def visible_to(self, user) -> AuditEntryQuerySet:
        from duban.accounts import policy

        return policy.scope_queryset(self, user, "view")

    def for_object(self, obj: models.Model) -> AuditEntryQuerySet:
        label = obj._meta.label
        return self.filter(
            models.Q(target_type=label, target_id=str(obj.pk))
            | models.Q(parent_type=label, parent_id=str(obj.pk))
        )


class AuditEntry(models.Model):
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    # No `choices=` on purpose: every module adds event kinds, and choices would make each
    # addition an audit-table migration. record() refuses unknown kinds instead.
    event = models.CharField(_("事件"), max_length=64, db_index=True)
    outcome = models.CharField(_("结果"), max_length=16, choices=Outcome.choices, default=Outcome.SUCCESS)
    # Who: the user (kept even if renamed) and a frozen copy of what they were at the time.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=64, blank=True)
    actor_role = models.CharField(_("操作人角色"), max_length=128, blank=True)
    actor_unit = models.CharField(_("操作人单位"), max_length=64, blank=True, db_index=True)
    # What: the object changed, with a frozen description, and the object it belongs to.
    target_type = models.CharField(_("对象类型"), max_length=64, blank=True, db_index=True)
    target_id = models.CharField(_("对象编号"), max_length=64, blank=True, db_index=True)
    target_repr = models.CharField(_("对象"), max_length=255, blank=True)
    parent_type = models.CharField(_("上级对象类型"), max_length=64, blank=True)
    parent_id = models.CharField(_("上级对象编号"), max_length=64, blank=True)
    changes = models.JSONField(_("变更"), default=dict, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    # Where from.
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    address = models.CharField(_("来源地址"), max_length=64, blank=True)
    source = models.CharField(_("来源"), max_length=16, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_event_display()} {self.target_repr}"

    def get_event_display(self) -> str:
        try:
            return str(AuditEvent(self.event).label)
        except ValueError:
            return self.event


class AuditSeal(models.Model):
    """One seal per entry, in sealing order: the keyed hash chain over the trail.

    chain(seq) = HMAC-SHA256(key, chain(seq-1) || canonical_json(entry)). Written by the
    sealer in batches, never by the services that write entries (see duban/audit/chain.py).
    `entry_id` is deliberately not a foreign key: the seal must outlive a deleted entry to
    tell that it was deleted.
    """

    seq = models.BigIntegerField(_("封存序号"), primary_key=True)
    entry_id = models.BigIntegerField(_("审计记录编号"), unique=True)
    digest = models.CharField(_("记录摘要"), max_length=64)
    chain = models.CharField(_("链值"), max_length=64)
    sealed_at = models.DateTimeField(_("封存时间"))

    class Meta:
        verbose_name = _("审计封存")
        verbose_name_plural = _("审计封存")
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"seal {self.seq} (entry {self.entry_id})"


class AuditCheckpoint(models.Model):
    """Where the chain resumes after a purge: the last purged seal's sequence and chain value.

    `mac` is keyed, so nobody without the key can write a checkpoint that hides removed entries.
    """

    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    before = models.DateTimeField(_("清理截止时间"))
    through_seq = models.BigIntegerField(_("清理至封存序号"), unique=True)
    chain = models.CharField(_("链值"), max_length=64)
    entries_removed = models.PositiveIntegerField(_("清理条数"))
    mac = models.CharField(_("校验码"), max_length=64)

    class Meta:
        verbose_name = _("审计清理检查点")
        verbose_name_plural = _("审计清理检查点")
        ordering = ["through_seq"]

    def __str__(self) -> str:
        return f"checkpoint through seal {self.through_seq}"


class AuditPurgeMarker(models.Model):
    """Present only inside the purge command's transaction.

    The DELETE triggers on the audit tables let a row go only while a marker exists (and,
    for entries, only when the entry is older than 180 days); the purge removes its marker
    before committing, so outside a purge the tables are strictly append-only.
    """

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("审计清理标记")
        verbose_name_plural = _("审计清理标记")

    def __str__(self) -> str:
        return f"purge marker {self.pk}"
