from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "duban.accounts"
    label = "accounts"
    verbose_name = _("账号与权限")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .security import stamp_session

        user_logged_in.connect(stamp_session, dispatch_uid="duban.accounts.stamp_session")
