from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestmentConfig(AppConfig):
    name = "duban.investment"
    label = "investment"
    verbose_name = _("招商引资")

    def ready(self) -> None:
        from duban.attachments.registry import register_owner

        from . import sheets  # noqa: F401  (registers the lead ledger sheet)
        from .models import Lead

        register_owner(Lead)

        from duban.org.demo.build import register_builder

        from .demo import build_investment_demo

        register_builder("investment", build_investment_demo)
