"""Two workers sending the same reminder at the same moment store and deliver it once."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import OperationalError, connection

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.notifications import services
from duban.notifications.factories import make_channel_settings
from duban.notifications.models import Delivery, Notification
from duban.org.factories import make_unit


def _in_thread(fn, barrier, results, errors):
    def run():
        try:
            barrier.wait()
            for _ in range(400):
                try:
                    results.append(fn())
                    return
                except OperationalError:  # SQLite in tests answers "locked" instead of waiting
                    time.sleep(0.005)
            errors.append("stayed locked")
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    return threading.Thread(target=run)


@pytest.mark.django_db(transaction=True)
def test_two_workers_notifying_the_same_key_at_once_store_one_notification_and_one_delivery():
    unit = make_unit()
    liaison = make_user_with_role(Role.UNIT_LIAISON, unit=unit)
    make_channel_settings(liaison, email="l@county.gov.cn")
    barrier, results, errors = threading.Barrier(2), [], []

    def remind():
        return services.notify([liaison], kind="tasks.reminder", title="明天到期", target=unit)

    threads = [_in_thread(remind, barrier, results, errors) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert errors == []
    assert sorted(len(r) for r in results) == [0, 1]
    assert Notification.objects.filter(recipient=liaison).count() == 1
    assert Delivery.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_senders_claiming_the_same_delivery_send_it_once(smtp_server, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # nobody delivers
    liaison = make_user_with_role(Role.UNIT_LIAISON)
    make_channel_settings(liaison, email="l@county.gov.cn")
    services.notify([liaison], kind="tasks.reminder", title="提醒", key="once")
    delivery = Delivery.objects.get()
    barrier, results, errors = threading.Barrier(2), [], []
    threads = [_in_thread(lambda: services.deliver(delivery.pk), barrier, results, errors) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sorted(results) == ["", "sent"]
    assert len(smtp_server.messages) == 1
