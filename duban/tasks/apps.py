from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "duban.tasks"
    label = "tasks"
    verbose_name = _("督办事项")

    def ready(self) -> None:
        from duban.attachments.registry import register_owner

        from .models import Feedback, Meeting, Task

        # Minutes files hang on the meeting, documents on the task; progress photos and completion
        # evidence on the feedback that brought them.
        register_owner(Meeting)
        register_owner(Task)
        register_owner(Feedback)

        from .home import register_home_section

        register_home_section()

        from duban.org.demo.build import register_builder

        from . import sheets  # noqa: F401  (registers the ledger sheet)
        from .demo import build_tasks_demo

        register_builder("tasks", build_tasks_demo)
