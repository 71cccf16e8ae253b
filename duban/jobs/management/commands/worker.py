"""`duban worker`: the background-job worker and the periodic scheduler in one process.

It is django-tasks-db's `db_worker` (same options, same Worker class) with the scheduler
running in a thread beside it. SIGINT/SIGTERM: the worker finishes the task it is running
(a second signal aborts it), then the scheduler thread is stopped and joined.
"""

from __future__ import annotations

import logging
from argparse import ArgumentParser
from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from duban.audit.context import acting
from duban.jobs.schedule import Scheduler, SchedulerThread

logger = logging.getLogger("duban.jobs")


class Command(DbWorkerCommand):
    help = "运行后台任务与定时任务（duban worker）"

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--no-scheduler",
            action="store_false",
            dest="scheduler",
            help="Run queued tasks only; fire no periodic schedules in this process.",
        )
        parser.add_argument(
            "--scheduler-interval",
            type=float,
            default=1.0,
            help="Seconds between scheduler ticks (default: %(default)r)",
        )
        # The autoreloader would run the scheduler in the watching parent too: off here.
        parser.set_defaults(reload=False)

    def handle(self, *args: Any, **options: Any) -> None:
        run_scheduler = options.pop("scheduler")
        interval = options.pop("scheduler_interval")
        options["reload"] = False
        thread = None
        if run_scheduler and not options.get("batch"):
            thread = SchedulerThread(Scheduler(worker_id=options["worker_id"]), interval=interval)
            thread.start()
            logger.info("scheduler started (worker_id=%s)", options["worker_id"])
        try:
            # Audit entries written by job bodies say they came from the worker.
            with acting(source="job"):
                super().handle(*args, **options)
        except SystemExit as exc:
            # Worker.shutdown exits with 0 on a graceful stop, 1 on a forced one.
            if exc.code:
                raise
        finally:
            if thread is not None:
                thread.stop()
                logger.info("scheduler stopped")
