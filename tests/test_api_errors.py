"""The API answers bad input with Chinese JSON errors and changes nothing."""

import pytest

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.org.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = make_user_with_role(Role.SYSTEM_ADMIN)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(admin)
    device = TOTPDevice.objects.create(user=admin, name="t", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client, admin


def test_malformed_json_is_a_chinese_json_error(admin_client):
    client, _admin = admin_client
    before = Unit.objects.count()
    response = client.post("/api/v1/units", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "请求体不是有效的 JSON"
    assert Unit.objects.count() == before


def test_wrong_types_get_chinese_messages_per_field(admin_client):
    client, _admin = admin_client
    response = client.post(
        "/api/v1/units",
        data={"name": "x", "code": "x1", "kind": "department", "region": "abc"},
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "提交的数据有误"
    assert any("整数" in m for m in body["errors"]["region"])


def test_oversized_body_is_refused(admin_client, settings):
    client, _admin = admin_client
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(
        "/api/v1/units", data='{"name": "' + "x" * 5000 + '"}', content_type="application/json"
    )
    assert response.status_code in (400, 413)
    assert "detail" in response.json()
