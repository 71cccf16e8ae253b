from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "duban.notifications"
    label = "notifications"
    verbose_name = _("通知")

    def ready(self) -> None:
        from .home import register_home_section

        register_home_section()
