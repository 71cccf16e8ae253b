"""The bell, the notification list, mark read, and the channel settings page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.notifications import services
from duban.notifications.models import ChannelSettings, Notification

pytestmark = pytest.mark.django_db


def _liaison(client):
    liaison = make_user_with_role(Role.UNIT_LIAISON)
    client.force_login(liaison)
    return liaison


def _notify(user, n: int = 1, **values):
    for i in range(n):
        services.notify(
            [user],
            kind="tasks.reminder",
            title=values.get("title", f"提醒{i}"),
            key=f"k{i}",
            url=values.get("url", "/"),
        )


def test_bell_shows_the_unread_count_and_the_list_shows_my_notifications_only(client):
    me = _liaison(client)
    _notify(me, 3)
    services.notify([make_user_with_role(Role.UNIT_LIAISON)], kind="k", title="别人的提醒")
    bell = client.get(reverse("notifications:bell")).content.decode()
    assert 'data-testid="bell-count">3<' in bell
    page = client.get(reverse("notifications:list")).content.decode()
    assert "提醒0" in page and "提醒2" in page and "别人的提醒" not in page


def test_mark_read_by_htmx_returns_the_row_and_refreshes_the_bell(client):
    me = _liaison(client)
    _notify(me, 2)
    first = Notification.objects.filter(recipient=me).last()
    response = client.post(reverse("notifications:mark_read", args=[first.pk]), HTTP_HX_REQUEST="true")
    assert response["HX-Trigger"] == "notifications-changed"
    assert f'id="notification-{first.pk}"' in response.content.decode()
    assert Notification.objects.filter(recipient=me, read_at__isnull=True).count() == 1
    client.post(reverse("notifications:mark_all_read"))
    assert not Notification.objects.filter(recipient=me, read_at__isnull=True).exists()
    assert "bell-count" not in client.get(reverse("notifications:bell")).content.decode()


def test_someone_elses_notification_is_404(client):
    other = make_user_with_role(Role.UNIT_LIAISON)
    (theirs,) = services.notify([other], kind="k", title="别人的")
    _liaison(client)
    assert client.post(reverse("notifications:mark_read", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_open_marks_read_and_refuses_to_redirect_off_site(client):
    me = _liaison(client)
    (inside,) = services.notify([me], kind="k", title="站内", url="/jobs/", key="a")
    (outside,) = services.notify([me], kind="k", title="站外", url="https://evil.example/", key="b")
    assert client.get(reverse("notifications:open", args=[inside.pk]))["Location"] == "/jobs/"
    assert client.get(reverse("notifications:open", args=[outside.pk]))["Location"] == reverse(
        "notifications:list"
    )
    assert not Notification.objects.filter(recipient=me, read_at__isnull=True).exists()


def test_settings_are_saved_audited_and_the_robot_token_is_kept_out_of_the_audit(client):
    me = _liaison(client)
    response = client.post(
        reverse("notifications:settings"),
        {
            "email_enabled": "on",
            "email": "me@county.gov.cn",
            "webhook_enabled": "on",
            "webhook_flavor": "wecom",
            "webhook_format": "markdown",
            "webhook_url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRETKEY",
            "webhook_secret": "",
        },
    )
    assert response.status_code == 302
    prefs = ChannelSettings.objects.get(user=me)
    assert prefs.channels() == ["email", "webhook"] and prefs.webhook_flavor == "wecom"
    entry = AuditEntry.objects.get(event=AuditEvent.NOTIFICATION_SETTINGS_CHANGED, actor=me)
    assert entry.changes["webhook_url"][1] == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?…"
    assert "SECRETKEY" not in str(entry.changes)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"email_enabled": "on", "email": ""}, "开启邮件通知需要填写接收邮箱"),
        ({"webhook_enabled": "on", "webhook_url": ""}, "开启群机器人通知需要填写 Webhook 地址"),
        (
            {"webhook_enabled": "on", "webhook_url": "ftp://gw.local/robot"},
            "机器人地址必须是 http:// 或 https:// 开头的网址",
        ),
    ],
)
def test_bad_settings_are_refused_with_a_chinese_message_and_nothing_saved(client, values, message):
    me = _liaison(client)
    me.email = ""
    me.save(update_fields=["email"])
    data = {"webhook_flavor": "dingtalk", "webhook_format": "text", **values}
    response = client.post(reverse("notifications:settings"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ChannelSettings.objects.filter(user=me).exists()
    assert not AuditEntry.objects.filter(event=AuditEvent.NOTIFICATION_SETTINGS_CHANGED).exists()


def test_webhook_hosts_can_be_restricted_by_the_deployment(settings):
    from django.core.exceptions import ValidationError

    settings.DUBAN_WEBHOOK_ALLOWED_HOSTS = ["gw.county.local"]
    services.check_webhook_url("http://gw.county.local/robot/send")
    with pytest.raises(ValidationError):
        services.check_webhook_url("http://10.0.0.5/robot/send")


def test_a_user_cannot_change_someone_elses_settings():
    from django.core.exceptions import PermissionDenied

    me, other = make_user_with_role(Role.UNIT_LIAISON), make_user_with_role(Role.UNIT_LIAISON)
    with pytest.raises(PermissionDenied):
        services.update_channel_settings(other, actor=me, email_enabled=False)


def test_home_page_shows_unread_notifications(client):
    me = _liaison(client)
    _notify(me, 1, title="请反馈项目进展")
    page = client.get(reverse("core:home")).content.decode()
    assert "请反馈项目进展" in page


@pytest.mark.parametrize("name", ["notifications:list", "notifications:bell", "notifications:settings"])
def test_query_count_does_not_grow_with_notifications(client, name):
    me = _liaison(client)
    _notify(me, 2)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(name)).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    services.notify([me], kind="k", title="x", key="z")
    for i in range(40):
        services.notify([me], kind="k", title=f"更多{i}", key=f"more{i}")
    assert count() == small
