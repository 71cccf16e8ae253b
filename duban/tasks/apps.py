from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "duban.tasks"
    label = "tasks"
    verbose_name = _("督办事项")

    def ready(self) -> None:
        from duban.attachments.registry import register_owner

        from .models import Feedback, Meeting

        # Minutes files hang on the meeting; progress photos and completion evidence on the feedback.
        register_owner(Meeting)
        register_owner(Feedback)

        from .home import register_home_section

        register_home_section()
