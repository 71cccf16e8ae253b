from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "duban.campaigns"
    label = "campaigns"
    verbose_name = _("专项行动")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from duban.attachments.registry import register_owner

        from .models import Deduction, QuantityReport, Rectification

        register_owner(Deduction)
        register_owner(Rectification)
        register_owner(QuantityReport)

        from duban.org.demo.build import register_builder

        from .demo import build_campaigns_demo

        register_builder("campaigns", build_campaigns_demo)
