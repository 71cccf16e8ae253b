import pytest

from .servers import SMTPSink, WebhookServer


@pytest.fixture
def smtp_server(settings):
    """A local SMTP server; Django's mail goes to it over a real socket."""
    with SMTPSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = sink.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        yield sink


@pytest.fixture
def webhook_server():
    with WebhookServer() as server:
        yield server
