"""Password rules, history, changing and resetting: every rule refuses and nothing is saved."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError

from duban.accounts import services
from duban.accounts.choices import Role
from duban.accounts.factories import PASSWORD, make_user, make_user_with_role
from duban.accounts.models import PasswordHistory
from duban.accounts.validators import validate_plain_text
from duban.audit.events import AuditEvent

from .support import events

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "password",
    [
        "Short1!",  # under 12 characters
        "alllowercaseletters",  # one class only
        "lowercase123456",  # two classes
        "n8zgt5p0shw=",  # three classes, but on the common-password list
        "123456789012",  # numeric
    ],
)
def test_weak_passwords_are_refused_in_chinese(password):
    user = make_user(username="zhangsan")
    with pytest.raises(ValidationError) as exc:
        validate_password(password, user)
    for message in exc.value.messages:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message


def test_a_password_like_the_email_is_refused_in_chinese():
    user = make_user(username="zhaoliu")
    user.email = "huanghe.river@example.cn"
    with pytest.raises(ValidationError) as exc:
        validate_password("Huanghe.River@example", user)
    assert "太相似" in " ".join(exc.value.messages)


def test_every_rule_explains_itself_in_chinese():
    from django.contrib.auth.password_validation import password_validators_help_texts

    for text in password_validators_help_texts():
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text


def test_password_containing_the_username_is_refused():
    user = make_user(username="wanglei")
    with pytest.raises(ValidationError) as exc:
        validate_password("Xx-WangLei-2026", user)
    assert "用户名" in " ".join(exc.value.messages)


def test_three_classes_of_twelve_characters_pass():
    user = make_user(username="lisi")
    validate_password("Huanghe-river-88", user)  # lower, upper, digit, symbol
    validate_password("huanghe river 88", user)  # lower, digit, symbol (space)


def test_change_password_refuses_the_last_five():
    """Given five earlier passwords, each of them is refused and a sixth older one is allowed."""
    user = make_user(password="Old-Password-00!")
    used = ["Old-Password-00!"]
    for n in range(1, 6):
        new = f"Next-Password-{n:02d}!"
        services.change_password(user, actor=user, old_password=used[-1], new_password=new)
        used.append(new)
    user.refresh_from_db()
    for old in used[-5:-1]:
        with pytest.raises(ValidationError) as exc:
            services.change_password(user, actor=user, old_password=used[-1], new_password=old)
        assert "最近 5 次" in " ".join(exc.value.messages)
    assert PasswordHistory.objects.filter(user=user).count() == 5
    # The very first password has dropped out of the history of five.
    services.change_password(user, actor=user, old_password=used[-1], new_password=used[0])


def test_change_password_audits_and_clears_the_forced_change():
    user = make_user(must_change_password=True)
    services.change_password(user, actor=user, old_password=PASSWORD, new_password="Brand-New-Pass-1")
    user.refresh_from_db()
    assert not user.must_change_password
    assert user.check_password("Brand-New-Pass-1")
    entry = events(AuditEvent.PASSWORD_CHANGED).get()
    assert entry.actor == user and entry.target_id == str(user.pk)
    assert "Brand-New" not in str(entry.changes)


def test_change_password_with_wrong_old_password_changes_nothing():
    user = make_user()
    with pytest.raises(ValidationError) as exc:
        services.change_password(user, actor=user, old_password="wrong", new_password="Brand-New-Pass-1")
    assert "old_password" in exc.value.message_dict
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert not events(AuditEvent.PASSWORD_CHANGED).exists()


def test_reset_password_forces_a_change_and_audits():
    admin = make_user_with_role(Role.SYSTEM_ADMIN)
    target = make_user(unit=admin.unit)
    services.reset_password(target, actor=admin, new_password="Temp-Pass-2026!x")
    target.refresh_from_db()
    assert target.must_change_password and target.check_password("Temp-Pass-2026!x")
    entry = events(AuditEvent.PASSWORD_RESET).get()
    assert entry.actor == admin and entry.target_id == str(target.pk)


def test_reset_password_of_another_administrator_is_refused_on_pages():
    admin = make_user_with_role(Role.SYSTEM_ADMIN)
    other = make_user_with_role(Role.AUDIT_ADMIN, unit=admin.unit)
    with pytest.raises(PermissionDenied):
        services.reset_password(other, actor=admin, new_password="Temp-Pass-2026!x")
    assert not events(AuditEvent.PASSWORD_RESET).exists()


@pytest.mark.parametrize("value", ["张\x00三", "张三\n伪造日志", "张\u202e三", "a\x1bb"])
def test_control_characters_in_names_are_refused_in_chinese(value):
    with pytest.raises(ValidationError) as exc:
        validate_plain_text(value)
    assert "控制字符" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        services.create_user(actor=None, username="ctrl1", real_name=value, check_access=False)
