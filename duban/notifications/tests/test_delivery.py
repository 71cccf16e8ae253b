"""Notifications reach the liaison once per channel, are retried with backoff, never block."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.notifications import services
from duban.notifications.choices import Channel, DeliveryStatus, WebhookFlavor, WebhookFormat
from duban.notifications.factories import make_channel_settings
from duban.notifications.models import Delivery, Notification
from duban.org.factories import make_unit

from .servers import free_port

pytestmark = pytest.mark.django_db


def _remind(liaison, unit):
    return services.notify(
        [liaison],
        kind="tasks.reminder",
        title="督办事项「项目开工」明天到期",
        body="请在明天下班前提交进展反馈。",
        url="/tasks/1/",
        target=unit,
    )


def test_a_reminder_reaches_the_liaison_exactly_once_by_email_and_by_webhook(
    smtp_server, webhook_server, django_capture_on_commit_callbacks
):
    """Given a liaison who chose email and a DingTalk robot, when the same reminder is sent twice
    for the same object and day and two delivery runs follow, then one notification is stored and
    the SMTP server and the robot each receive exactly one message."""
    unit = make_unit()
    liaison = make_user_with_role(Role.UNIT_LIAISON, unit=unit)
    make_channel_settings(liaison, email="liaison@county.gov.cn", webhook_url=webhook_server.url)

    with django_capture_on_commit_callbacks(execute=True):
        first = _remind(liaison, unit)
    with django_capture_on_commit_callbacks(execute=True):
        second = _remind(liaison, unit)
    services.retry_due()
    services.retry_due(now=timezone.now() + dt.timedelta(hours=2))

    assert len(first) == 1 and second == []
    assert Notification.objects.filter(recipient=liaison).count() == 1
    assert len(smtp_server.messages) == 1
    mail = smtp_server.messages[0]
    assert mail["To"] == "liaison@county.gov.cn"
    assert "督办事项「项目开工」明天到期" in mail["Subject"]
    assert "请在明天下班前提交进展反馈" in mail.get_content()
    assert len(webhook_server.calls) == 1
    call = webhook_server.calls[0]
    assert call.path.startswith("/robot/send?access_token=t0ken")
    assert call.payload["msgtype"] == "text"
    assert "项目开工" in call.payload["text"]["content"]
    statuses = dict(Delivery.objects.values_list("channel", "status"))
    assert statuses == {Channel.EMAIL: DeliveryStatus.SENT, Channel.WEBHOOK: DeliveryStatus.SENT}
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}


def test_a_failing_webhook_is_retried_with_exponential_backoff(
    webhook_server, django_capture_on_commit_callbacks
):
    """The robot answers 500 twice then 200: attempts 30 s and 60 s apart, then sent; not earlier."""
    webhook_server.script[:] = [(500, {}), (500, {})]
    liaison = make_user_with_role(Role.UNIT_LIAISON)
    make_channel_settings(liaison, webhook_url=webhook_server.url)

    with django_capture_on_commit_callbacks(execute=True):
        services.notify([liaison], kind="tasks.reminder", title="逾期提醒", key="k1")
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.RETRY, 1)
    assert "HTTP 500" in delivery.last_error
    first_retry = delivery.next_attempt_at

    assert services.retry_due(now=first_retry - dt.timedelta(seconds=1)) == 0  # not due yet
    assert len(webhook_server.calls) == 1
    assert services.retry_due(now=first_retry) == 0  # second 500
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.RETRY, 2)
    assert delivery.next_attempt_at - first_retry == services.backoff(2) == dt.timedelta(seconds=60)

    assert services.retry_due(now=delivery.next_attempt_at) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.SENT, 3, "")
    assert len(webhook_server.calls) == 3


def test_a_robot_refusal_with_http_200_counts_as_failure_and_gives_up_after_the_last_attempt(
    webhook_server, django_capture_on_commit_callbacks
):
    webhook_server.script[:] = [(200, {"errcode": 310000, "errmsg": "keywords not in content"})] * 10
    liaison = make_user_with_role(Role.UNIT_LIAISON)
    make_channel_settings(liaison, webhook_url=webhook_server.url)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([liaison], kind="tasks.reminder", title="逾期提醒", key="k2")
    now = timezone.now()
    for _ in range(services.MAX_ATTEMPTS + 2):
        now += services.BACKOFF_MAX
        services.retry_due(now=now)
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == services.MAX_ATTEMPTS
    assert "310000" in delivery.last_error
    assert len(webhook_server.calls) == services.MAX_ATTEMPTS


def test_a_dead_mail_server_never_blocks_the_action_that_notified(
    settings, django_capture_on_commit_callbacks
):
    """Nothing listens on the SMTP port: the action commits, the notification is there, the
    email delivery waits for a retry with the reason recorded."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    liaison = make_user_with_role(Role.UNIT_LIAISON)
    make_channel_settings(liaison, email="l@example.cn")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.notify([liaison], kind="tasks.reminder", title="提醒", key="k3")
    assert Notification.objects.filter(recipient=liaison).exists()
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.RETRY
    assert "邮件发送失败" in delivery.last_error


def test_markdown_payloads_for_dingtalk_and_wecom():
    liaison = make_user_with_role(Role.UNIT_LIAISON)
    n = Notification(recipient=liaison, kind="k", title="标题", body="正文", url="/x/")
    ding = services_payload(n, WebhookFlavor.DINGTALK, WebhookFormat.MARKDOWN)
    wecom = services_payload(n, WebhookFlavor.WECOM, WebhookFormat.MARKDOWN)
    assert ding["msgtype"] == "markdown" and ding["markdown"]["title"] == "标题"
    assert "**标题**" in ding["markdown"]["text"] and "正文" in ding["markdown"]["text"]
    assert wecom == {"msgtype": "markdown", "markdown": {"content": ding["markdown"]["text"]}}
    long = Notification(recipient=liaison, kind="k", title="t", body="长" * 3000)
    assert (
        len(services_payload(long, WebhookFlavor.WECOM, WebhookFormat.TEXT)["text"]["content"].encode())
        <= 2048
    )


def services_payload(n, flavor, fmt):
    from duban.notifications.channels import webhook_payload

    return webhook_payload(n, flavor, fmt)


def test_dingtalk_signature_matches_the_documented_algorithm():
    """DingTalk: sign = urlencode(base64(HmacSHA256(key=secret, msg=timestamp + "\\n" + secret)))."""
    from duban.notifications.channels import signed_url

    url = signed_url("https://oapi.dingtalk.com/robot/send?access_token=x", "SEC123", now_ms=1700000000000)
    assert url.startswith("https://oapi.dingtalk.com/robot/send?access_token=x&timestamp=1700000000000&sign=")
    import base64
    import hashlib
    import hmac
    import urllib.parse

    expected = base64.b64encode(hmac.new(b"SEC123", b"1700000000000\nSEC123", hashlib.sha256).digest())
    assert urllib.parse.unquote_plus(url.rsplit("sign=", 1)[1]) == expected.decode()
