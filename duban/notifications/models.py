"""In-app notifications, each user's channel choices, and the delivery of each notification."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import Channel, DeliveryStatus, WebhookFlavor, WebhookFormat


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user) -> NotificationQuerySet:
        from duban.accounts import policy

        return policy.scope_queryset(self, user, "view")

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message to one person. (recipient, key) is unique: the same reminder for the same
    object and day is stored once, whoever (which worker) sends it and however often."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("类型"), max_length=64)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    target_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    target_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    key = models.CharField(_("去重键"), max_length=255)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once")]
        indexes = [
            models.Index(fields=["recipient", "-id"], name="notification_recent"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class ChannelSettingsQuerySet(models.QuerySet):
    def visible_to(self, user) -> ChannelSettingsQuerySet:
        from duban.accounts import policy

        return policy.scope_queryset(self, user, "view")


class ChannelSettings(models.Model):
    """Which channels besides in-app (always on) a user wants, and where they go."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="notification_settings",
    )
    email_enabled = models.BooleanField(_("邮件通知"), default=False)
    email = models.EmailField(_("接收邮箱"), blank=True)
    webhook_enabled = models.BooleanField(_("群机器人通知"), default=False)
    webhook_url = models.URLField(_("机器人 Webhook 地址"), max_length=500, blank=True)
    webhook_flavor = models.CharField(
        _("机器人类型"), max_length=16, choices=WebhookFlavor.choices, default=WebhookFlavor.DINGTALK
    )
    webhook_format = models.CharField(
        _("消息格式"), max_length=16, choices=WebhookFormat.choices, default=WebhookFormat.TEXT
    )
    webhook_secret = models.CharField(_("加签密钥"), max_length=128, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ChannelSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知设置")
        verbose_name_plural = _("通知设置")

    def __str__(self) -> str:
        return f"{self.user} 的通知设置"

    def channels(self) -> list[str]:
        wanted: list[str] = []
        if self.email_enabled and self.email_address:
            wanted.append(Channel.EMAIL)
        if self.webhook_enabled and self.webhook_url:
            wanted.append(Channel.WEBHOOK)
        return wanted

    @property
    def email_address(self) -> str:
        return self.email or getattr(self.user, "email", "")


class Delivery(models.Model):
    """Sending one notification over one channel: attempts, status and the last error."""

    notification = models.ForeignKey(
        Notification, verbose_name=_("通知"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    status = models.CharField(
        _("状态"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"))
    locked_until = models.DateTimeField(_("占用至"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("通知投递")
        verbose_name_plural = _("通知投递")
        constraints = [models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.notification_id}/{self.channel}: {self.status}"
