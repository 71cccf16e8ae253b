"""Sending one notification over email or a group-robot webhook (DingTalk / WeCom).

Each sender raises `DeliveryError` with a short reason on failure; the caller records it and
schedules a retry. Nothing here touches the database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from .choices import WebhookFlavor, WebhookFormat
from .models import ChannelSettings, Notification

EMAIL_TIMEOUT = 15
WEBHOOK_TIMEOUT = 8
# WeCom refuses text over 2048 bytes and markdown over 4096; DingTalk allows more.
WEBHOOK_MAX_BYTES = 2000


class DeliveryError(Exception):
    pass


def absolute_url(path: str) -> str:
    """A link for messages read outside the site. DUBAN_BASE_URL is the site's address."""
    base = getattr(settings, "DUBAN_BASE_URL", "").rstrip("/")
    if not path or path.startswith(("http://", "https://")) or not base:
        return path
    return base + (path if path.startswith("/") else "/" + path)


def send_email(notification: Notification, prefs: ChannelSettings) -> None:
    address = prefs.email_address
    if not address:
        raise DeliveryError("没有接收邮箱")
    link = absolute_url(notification.url)
    body = (
        notification.body + (f"\n\n查看详情：{link}" if link else "") + "\n\n（督办系统自动发送，请勿回复）"
    )
    message = EmailMessage(
        subject=f"[督办] {notification.title}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        connection=get_connection(timeout=EMAIL_TIMEOUT),
    )
    try:
        message.send(fail_silently=False)
    except Exception as exc:  # smtplib, socket and SSL errors alike
        raise DeliveryError(f"邮件发送失败：{type(exc).__name__}: {exc}") from exc


def _truncate(text: str, limit: int = WEBHOOK_MAX_BYTES) -> str:
    raw = text.encode("utf-8")
    if len(raw) <= limit:
        return text
    return raw[: limit - 3].decode("utf-8", "ignore") + "…"


def webhook_payload(notification: Notification, flavor: str, fmt: str) -> dict[str, Any]:
    """The robot message: {"msgtype": "text", "text": {"content": ...}} or the markdown variant."""
    link = absolute_url(notification.url)
    if fmt == WebhookFormat.MARKDOWN:
        text = f"**{notification.title}**\n\n{notification.body}"
        if link:
            text += f"\n\n[查看详情]({link})"
        text = _truncate(text)
        if flavor == WebhookFlavor.DINGTALK:
            return {"msgtype": "markdown", "markdown": {"title": notification.title[:60], "text": text}}
        return {"msgtype": "markdown", "markdown": {"content": text}}
    content = f"【督办】{notification.title}\n{notification.body}" + (f"\n{link}" if link else "")
    return {"msgtype": "text", "text": {"content": _truncate(content)}}


def signed_url(url: str, secret: str, now_ms: int | None = None) -> str:
    """DingTalk's 加签: timestamp and HMAC-SHA256("timestamp\\nsecret") appended to the URL."""
    if not secret:
        return url
    timestamp = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{url}{'&' if '?' in url else '?'}timestamp={timestamp}&sign={sign}"


def send_webhook(notification: Notification, prefs: ChannelSettings) -> None:
    if not prefs.webhook_url:
        raise DeliveryError("没有机器人地址")
    payload = webhook_payload(notification, prefs.webhook_flavor, prefs.webhook_format)
    url = prefs.webhook_url
    if prefs.webhook_flavor == WebhookFlavor.DINGTALK:
        url = signed_url(url, prefs.webhook_secret)
    request = urllib.request.Request(  # noqa: S310 (http/https only: checked when the URL is saved)
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT) as response:  # noqa: S310
            raw = response.read(65536)
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"机器人接口返回 HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryError(f"无法连接机器人接口：{exc}") from exc
    _check_robot_answer(raw)


def _check_robot_answer(raw: bytes) -> None:
    # Both robots answer HTTP 200 with {"errcode": 0, "errmsg": "ok"}; a non-zero errcode
    # (bad token, keyword missing, rate limit) is a failure even though HTTP said 200.
    try:
        answer = json.loads(raw.decode("utf-8") or "{}")
    except (ValueError, UnicodeDecodeError):
        return  # a local gateway may answer plain text: HTTP 2xx is success
    if isinstance(answer, dict) and answer.get("errcode") not in (None, 0, "0"):
        raise DeliveryError(f"机器人接口拒绝：{answer.get('errcode')} {answer.get('errmsg', '')}"[:500])


SENDERS = {"email": send_email, "webhook": send_webhook}
