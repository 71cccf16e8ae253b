from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "duban.indicators"
    label = "indicators"
    verbose_name = _("考核指标")

    def ready(self) -> None:
        from duban.org.demo.build import register_builder

        from .demo import build_indicators_demo
        from .home import register_home_section

        register_builder("indicators", build_indicators_demo)
        register_home_section()
