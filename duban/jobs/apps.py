from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "duban.jobs"
    label = "jobs"
    verbose_name = _("后台任务")

    def ready(self) -> None:
        from .registry import load_job_modules

        # Registers every app's job kinds and periodic schedules (their `tasks` modules).
        load_job_modules()
