"""Logging in, as a person does it in a browser: the home page, the lockout, the forced change."""

from __future__ import annotations

import pytest
from django.urls import reverse

from duban.accounts.choices import Role
from duban.accounts.factories import PASSWORD, make_user_with_role
from duban.accounts.models import User
from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.org.factories import make_county, make_unit

from .helpers import horizontal_overflow, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GENERIC = "用户名或密码错误"


@pytest.fixture
def liaison():
    unit = make_unit("商务局", region=make_county("示范县"))
    return make_user_with_role(Role.UNIT_LIAISON, unit=unit, username="liaison1")


def test_a_unit_liaison_logs_in_and_sees_the_home_page(page, live_server, liaison, shoot):
    """Given a liaison of 商务局, when they open the site and log in, the home page shows who they are."""
    page.goto("/")
    assert reverse("accounts:login") in page.url, "anonymous visitors are sent to the login page"
    assert horizontal_overflow(page) == 0
    shoot(page, "login")

    log_in(page, "liaison1", PASSWORD)

    assert page.url == live_server.url + reverse("core:home")
    assert page.locator(".whoami .who-name").inner_text() == liaison.real_name
    assert page.locator(".whoami .who-unit").inner_text() == "商务局"
    assert "单位联络员" in page.locator(".whoami").inner_text()
    assert liaison.real_name in page.locator("main h1").inner_text()
    shoot(page, "home")
    page.set_viewport_size({"width": 375, "height": 812})
    assert horizontal_overflow(page) == 0, "the home page must fit a 375 px phone"


def test_five_wrong_passwords_lock_the_account(page, liaison):
    """After 5 wrong passwords the account is locked: the 6th try, with the right password, is refused too."""
    for _attempt in range(5):
        log_in(page, "liaison1", "Wrong-Password-123")
        assert GENERIC in page.locator("main").inner_text()

    log_in(page, "liaison1", PASSWORD)

    assert reverse("accounts:login") in page.url
    assert GENERIC in page.locator("main").inner_text(), "the same generic message: no hint that it is a lock"
    assert page.locator(".whoami").count() == 0
    assert AuditEntry.objects.filter(event=AuditEvent.LOCKOUT).exists()
    assert not AuditEntry.objects.filter(event=AuditEvent.LOGIN, actor=liaison).exists()


def test_first_login_forces_a_password_change(page, live_server):
    """A new account must set its own password before anything else; then it lands on the home page."""
    unit = make_unit("统计局", region=make_county("示范县"))
    make_user_with_role(Role.UNIT_LIAISON, unit=unit, username="newcomer", must_change_password=True)

    log_in(page, "newcomer", PASSWORD)
    assert page.url.startswith(live_server.url + reverse("accounts:password_change"))
    page.goto("/")
    assert page.url.startswith(live_server.url + reverse("accounts:password_change")), "no way around it"

    page.fill("input[name=old_password]", PASSWORD)
    page.fill("input[name=new_password1]", "Xin-Mima-2026-qz")
    page.fill("input[name=new_password2]", "Xin-Mima-2026-qz")
    with page.expect_navigation():
        page.click("main form button[type=submit]")

    assert page.url == live_server.url + reverse("core:home")
    assert page.locator(".whoami .who-unit").inner_text() == "统计局"
    user = User.objects.get(username="newcomer")
    assert not user.must_change_password
    assert user.check_password("Xin-Mima-2026-qz")
