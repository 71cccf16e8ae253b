from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttachmentsConfig(AppConfig):
    name = "duban.attachments"
    label = "attachments"
    verbose_name = _("附件")

    def ready(self) -> None:
        from duban.org.models import Unit

        from .registry import register_owner

        # The organisation registers are the first owners; every module registers its own
        # models (projects, site visits, meetings …) from its AppConfig.ready().
        register_owner(Unit)
