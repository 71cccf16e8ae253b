from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SheetsConfig(AppConfig):
    name = "duban.sheets"
    label = "sheets"
    verbose_name = _("表格导入导出")

    def ready(self) -> None:
        # Declaring a sheet registers it; the foundation's registers live here.
        from .registers import units, users  # noqa: F401
