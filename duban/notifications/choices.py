"""Channels, delivery states and webhook formats."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    WEBHOOK = "webhook", _("群机器人")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    RETRY = "retry", _("等待重试")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    SKIPPED = "skipped", _("未发送")


class WebhookFlavor(models.TextChoices):
    DINGTALK = "dingtalk", _("钉钉")
    WECOM = "wecom", _("企业微信")


class WebhookFormat(models.TextChoices):
    TEXT = "text", _("纯文本")
    MARKDOWN = "markdown", _("Markdown")


# A delivery may be claimed again from these states (once its next attempt is due).
CLAIMABLE = (DeliveryStatus.PENDING, DeliveryStatus.RETRY)
