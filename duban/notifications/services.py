"""Notifying people, delivering over their channels, and their channel settings.

    notify([liaison], kind="tasks.reminder", title="督办事项即将到期", body="…",
           url=task.get_absolute_url(), target=task)

stores one in-app notification per recipient and, after the caller's transaction commits,
enqueues one delivery per extra channel the recipient chose (email, group robot). Delivery
runs in the worker, never in the request: a dead mail server or robot never blocks the
action that caused the notification; failed deliveries are retried with exponential backoff.

Idempotent by key: (recipient, key) is unique in the database, and the default key is
kind + target + day, so the same reminder for the same object and day is stored and sent
once even when two workers call notify() at the same time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import urllib.parse
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from duban import audit
from duban.accounts import policy
from duban.audit.events import AuditEvent

from .channels import SENDERS, DeliveryError
from .choices import CLAIMABLE, DeliveryStatus
from .models import ChannelSettings, Delivery, Notification

logger = logging.getLogger("duban.notifications")

MAX_ATTEMPTS = 6
BACKOFF_BASE = dt.timedelta(seconds=30)  # 30 s, 1 min, 2 min, 4 min, 8 min, then give up
BACKOFF_MAX = dt.timedelta(hours=1)
SENDING_LOCK = dt.timedelta(minutes=5)  # a sender that died mid-send frees its claim after this


def default_key(kind: str, target: models.Model | None, title: str, body: str, day: dt.date) -> str:
    """kind + target + day; without a target, the text itself stands for the object."""
    if target is not None:
        about = f"{target._meta.label}:{target.pk}"
    else:
        about = hashlib.sha256(f"{title}\n{body}".encode()).hexdigest()[:24]
    return f"{kind}:{about}:{day.isoformat()}"


def _unique_users(recipients: Iterable) -> list:
    seen: dict[int, Any] = {}
    for user in recipients:
        if user is not None and user.pk and user.is_active and user.pk not in seen:
            seen[user.pk] = user
    return list(seen.values())


def notify(
    recipients: Iterable,
    *,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    target: models.Model | None = None,
    key: str | None = None,
) -> list[Notification]:
    """Notify each recipient once per key; returns the notifications created by this call."""
    title = (title or "").strip()
    if not title or not kind:
        raise ValidationError(_("通知必须有类型和标题"))
    users = _unique_users(recipients)
    if not users:
        return []
    key = key or default_key(kind, target, title, body, timezone.localdate())
    if len(key) > 255:
        key = key[:190] + ":" + hashlib.sha256(key.encode()).hexdigest()
    created: list[Notification] = []
    deliveries: list[Delivery] = []
    now = timezone.now()
    with transaction.atomic():
        prefs = {s.user_id: s for s in ChannelSettings.objects.filter(user__in=users).select_related("user")}
        for user in users:
            try:
                with transaction.atomic():  # a savepoint: a duplicate key rolls back this row only
                    notification = Notification.objects.create(
                        recipient=user,
                        kind=kind[:64],
                        title=title[:200],
                        body=body,
                        url=url[:500],
                        target_type=target._meta.label if target is not None else "",
                        target_id=str(target.pk) if target is not None else "",
                        key=key,
                    )
            except IntegrityError:
                continue  # already notified for this key (maybe by another worker right now)
            created.append(notification)
            channels = prefs[user.pk].channels() if user.pk in prefs else []
            deliveries += [
                Delivery(notification=notification, channel=c, next_attempt_at=now) for c in channels
            ]
        if deliveries:
            Delivery.objects.bulk_create(deliveries)
            ids = [d.pk for d in deliveries]
            transaction.on_commit(lambda: _enqueue_deliveries(ids))
    return created


def _enqueue_deliveries(ids: list[int]) -> None:
    from .tasks import deliver_notification

    for delivery_id in ids:
        try:
            deliver_notification.enqueue(delivery_id=delivery_id)
        except Exception:
            # The retry sweep picks pending deliveries up anyway.
            logger.exception("could not enqueue delivery %s", delivery_id)


# --- delivery ----------------------------------------------------------------------------------


def backoff(attempts: int) -> dt.timedelta:
    """Wait before attempt `attempts + 1`: doubles each time, capped."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def deliver(delivery_id: int, *, now: dt.datetime | None = None) -> str:
    """Send one delivery if it is due and nobody else holds it; returns its status afterwards.

    The claim is a single conditional UPDATE, so two workers never both send it.
    """
    now = now or timezone.now()
    claimed = Delivery.objects.filter(pk=delivery_id, status__in=CLAIMABLE, next_attempt_at__lte=now).update(
        status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, locked_until=now + SENDING_LOCK
    )
    if not claimed:
        return ""
    delivery = Delivery.objects.select_related("notification__recipient").get(pk=delivery_id)
    recipient = delivery.notification.recipient
    prefs = ChannelSettings.objects.filter(user=recipient).select_related("user").first()
    if prefs is None or not recipient.is_active or delivery.channel not in prefs.channels():
        return _settle(delivery, DeliveryStatus.SKIPPED, "接收人已关闭该渠道或已停用")
    try:
        SENDERS[delivery.channel](delivery.notification, prefs)
    except DeliveryError as exc:
        return _failed(delivery, str(exc), now)
    except Exception as exc:  # a bug must not leave the delivery stuck in "sending"
        logger.exception("delivery %s crashed", delivery_id)
        return _failed(delivery, f"{type(exc).__name__}: {exc}", now)
    return _settle(delivery, DeliveryStatus.SENT, "")


def _settle(delivery: Delivery, status: str, error: str, *, also: tuple[str, ...] = ()) -> str:
    delivery.status = status
    delivery.last_error = error[:2000]
    delivery.locked_until = None
    delivery.sent_at = timezone.now() if status == DeliveryStatus.SENT else None
    delivery.save(update_fields=["status", "last_error", "locked_until", "sent_at", *also])
    return status


def _failed(delivery: Delivery, error: str, now: dt.datetime) -> str:
    logger.warning(
        "delivery %s (%s) attempt %s failed: %s", delivery.pk, delivery.channel, delivery.attempts, error
    )
    if delivery.attempts >= MAX_ATTEMPTS:
        return _settle(delivery, DeliveryStatus.FAILED, error)
    delivery.next_attempt_at = now + backoff(delivery.attempts)
    return _settle(delivery, DeliveryStatus.RETRY, error, also=("next_attempt_at",))


def retry_due(*, now: dt.datetime | None = None, limit: int = 200) -> int:
    """Send every due pending/retry delivery (oldest first); frees claims of dead senders."""
    now = now or timezone.now()
    Delivery.objects.filter(status=DeliveryStatus.SENDING, locked_until__lt=now).update(
        status=DeliveryStatus.RETRY, locked_until=None
    )
    due = list(
        Delivery.objects.filter(status__in=CLAIMABLE, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in due if deliver(pk, now=now) == DeliveryStatus.SENT)


# --- reading -----------------------------------------------------------------------------------


def mark_read(notification: Notification, *, actor) -> Notification:
    """Reading one's own messages is not a business change: not audited."""
    policy.require(actor, "change", notification)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def mark_all_read(*, actor) -> int:
    return (
        Notification.objects.visible_to(actor)
        .filter(recipient=actor, read_at__isnull=True)
        .update(read_at=timezone.now())
    )


# --- settings ----------------------------------------------------------------------------------

SETTINGS_FIELDS = [
    "email_enabled",
    "email",
    "webhook_enabled",
    "webhook_url",
    "webhook_flavor",
    "webhook_format",
    "webhook_secret",
]


def settings_for(user) -> ChannelSettings:
    """The user's settings, or unsaved defaults (reading never writes)."""
    found = ChannelSettings.objects.filter(user=user).first()
    return found or ChannelSettings(user=user, email=getattr(user, "email", ""))


def _redacted(values: dict[str, Any]) -> dict[str, Any]:
    # Robot URLs carry their access token in the query string: the audit keeps host and path only.
    url = values.get("webhook_url") or ""
    if url:
        parts = urllib.parse.urlsplit(url)
        values["webhook_url"] = f"{parts.scheme}://{parts.netloc}{parts.path}" + ("?…" if parts.query else "")
    return values


def check_webhook_url(url: str) -> None:
    if not url:
        return
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError({"webhook_url": _("机器人地址必须是 http:// 或 https:// 开头的网址")})
    allowed = getattr(settings, "DUBAN_WEBHOOK_ALLOWED_HOSTS", None)
    if allowed and parts.hostname.lower() not in {h.lower() for h in allowed}:
        raise ValidationError({"webhook_url": _("该机器人地址不在本系统允许的地址范围内，请联系系统管理员")})


def update_channel_settings(user, *, actor, **values: Any) -> ChannelSettings:
    """Change a user's channels (their own only). Audited as NOTIFICATION_SETTINGS_CHANGED."""
    if actor is None or actor.pk != user.pk:
        raise PermissionDenied(_("只能修改自己的通知设置"))
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"unknown settings: {sorted(unknown)}")
    with transaction.atomic():
        prefs = ChannelSettings.objects.select_for_update().filter(user=user).first()
        if prefs is None:
            prefs = ChannelSettings(user=user)
        before = _redacted(audit.snapshot(prefs, SETTINGS_FIELDS)) if prefs.pk else {}
        for name, value in values.items():
            setattr(prefs, name, value.strip() if isinstance(value, str) else value)
        errors: dict[str, list[str]] = {}
        if prefs.email_enabled and not prefs.email_address:
            errors["email"] = [_("开启邮件通知需要填写接收邮箱")]
        if prefs.webhook_enabled and not prefs.webhook_url:
            errors["webhook_url"] = [_("开启群机器人通知需要填写 Webhook 地址")]
        if errors:
            raise ValidationError(errors)
        check_webhook_url(prefs.webhook_url)
        prefs.full_clean(exclude=["user"])
        prefs.save()
        after = _redacted(audit.snapshot(prefs, SETTINGS_FIELDS))
        audit.record(
            AuditEvent.NOTIFICATION_SETTINGS_CHANGED,
            actor=actor,
            target=prefs,
            changes=audit.diff(before, after),
            description=f"{user.display_name} 的通知设置",
        )
    return prefs
