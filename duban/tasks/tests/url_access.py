"""The supervised tasks' rows for the URL walk (tests/test_url_walk.py).

Who may open what (docs/tasks.md, policy rules `tasks.*`): the office runs its county's tasks,
meetings and instructions; county leaders read them; the lead and cooperating units (head,
liaison) read the tasks they are on once assigned, and the sources of those tasks. Inspectors
and the three administrators see no task. The "own" task is assigned to the fixture unit
商务局 from the own meeting; the own instruction produced no task, so no unit reads it.
"""

from __future__ import annotations

import datetime

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.tasks import extensions, services, sources
from duban.tasks.choices import MeetingKind
from duban.tasks.factories import working_days_ahead
from tests.url_access import ALL_ROLES, FOREIGN, OWN, api, page, pk_of, post_only

OFFICE = {Role.SUPERVISION_OFFICE}
READERS = {Role.SUPERVISION_OFFICE, Role.COUNTY_LEADER}
ON_TASK = READERS | {Role.UNIT_HEAD, Role.UNIT_LIAISON}


def task_move(world, variant: str) -> dict:
    return {"pk": world.get("task", variant).pk, "action": "accept"}


def api_task_move(world, variant: str) -> dict:
    return {"task_id": world.get("task", variant).pk, "action": "accept"}


def extension(world, variant: str) -> dict:
    ext = world.get("extension", variant)
    return {"pk": ext.task_id, "ext_pk": ext.pk}


ACCESS = {
    # Lists and the calendar render (empty) for anyone signed in; they hold only what the user sees.
    "tasks:inbox": page(ALL_ROLES),
    "tasks:board": page(ALL_ROLES),
    "tasks:calendar": page(ALL_ROLES),
    "tasks:meeting_list": page(ALL_ROLES),
    "tasks:ranking": page(READERS),
    "tasks:bulk_assign": post_only(anonymous="login"),
    # The office registers meetings, instructions and tasks; the form of another county is 404.
    "tasks:meeting_new": page(OFFICE),
    "tasks:meeting_detail": page(ON_TASK, pk_of("meeting")),
    "tasks:meeting_edit": page(OFFICE, pk_of("meeting")),
    "tasks:instruction_new": page(OFFICE),
    "tasks:instruction_detail": page(READERS, pk_of("instruction")),
    "tasks:instruction_edit": page(OFFICE, pk_of("instruction")),
    "tasks:task_new": page(OFFICE),
    "tasks:detail": page(ON_TASK, pk_of("task")),
    "tasks:task_edit": page(OFFICE, pk_of("task")),
    "tasks:task_split": page(OFFICE, pk_of("task")),
    "tasks:action": post_only(task_move, anonymous="login"),
    "tasks:extension_decide": post_only(extension, anonymous="login"),
    # API: create_* share their path with list_*, so a GET there is the list.
    "api:list_meetings": api(ALL_ROLES),
    "api:create_meeting": api(ALL_ROLES),
    "api:get_meeting": api(ON_TASK, pk_of("meeting", "meeting_id")),
    "api:list_tasks": api(ALL_ROLES),
    "api:create_task": api(ALL_ROLES),
    "api:get_task": api(ON_TASK, pk_of("task", "task_id")),
    "api:task_timeline": api(ON_TASK, pk_of("task", "task_id")),
    "api:task_action": post_only(api_task_move),
    "api:task_action_with_files": post_only(api_task_move),
}


def build_objects(world) -> None:
    """In each county a meeting with one assigned task led by the county's 商务局 (with a pending
    extension request by its liaison) and an instruction that produced no task."""
    office = world.users[Role.SUPERVISION_OFFICE]
    leader = world.users[Role.COUNTY_LEADER]
    foreign_office = make_user_with_role(Role.SUPERVISION_OFFICE, region=world.foreign_county)
    foreign_leader = make_user_with_role(Role.COUNTY_LEADER, region=world.foreign_county)
    deadline = working_days_ahead(10)
    for variant, office_user, leader_user, unit, liaison in (
        (OWN, office, leader, world.unit, world.users[Role.UNIT_LIAISON]),
        (FOREIGN, foreign_office, foreign_leader, world.foreign_unit, world.stranger),
    ):
        meeting = sources.create_meeting(
            actor=office_user,
            name="全县经济工作会议",
            kind=MeetingKind.COUNTY_WORK,
            date=datetime.date(2026, 9, 1),
            chair=leader_user,
        )
        instruction = sources.create_instruction(
            actor=office_user, leader=leader_user, date=datetime.date(2026, 9, 2), text="抓紧推进"
        )
        task = services.create_task(
            actor=office_user, title="年前完成签约", lead_unit=unit, deadline=deadline, meeting=meeting
        )
        task = services.assign_task(task, actor=office_user)
        ext = extensions.request_extension(
            task, actor=liaison, new_deadline=working_days_ahead(20), reason="手续尚在办理"
        )
        world.objects.update(
            {
                ("meeting", variant): meeting,
                ("instruction", variant): instruction,
                ("task", variant): task,
                ("extension", variant): ext,
            }
        )
