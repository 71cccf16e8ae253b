from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "duban.projects"
    label = "projects"
    verbose_name = _("重点项目")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from duban.attachments.registry import register_owner

        from .models import Milestone, Project, SiteVisit

        register_owner(Project)
        register_owner(Milestone)
        register_owner(SiteVisit)

        from duban.org.demo.build import register_builder

        from . import sheets  # noqa: F401  (registers the register's sheet)
        from .demo import build_projects_demo

        register_builder("projects", build_projects_demo)
