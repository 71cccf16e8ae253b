"""Meetings and supervised tasks under /api/v1/: the same policy, FilterSet and services as the pages.

A task the caller may not see answers 404 (as on the pages); a move the task's state does not
allow answers 422 with the Chinese message of the transition table.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile

from duban.accounts import policy
from duban.org.api import ERRORS, _filtered, _paged
from duban.org.models import Unit

from . import extensions, rules, services, sources
from .filters import TaskFilter, with_light
from .models import ExtensionRequest, Instruction, Meeting, Task
from .queries import attach_feedback_files, meetings_for, source_tasks, task_for_page, tasks_for

router = Router(tags=["tasks"])


class TaskBrief(Schema):
    id: int
    title: str
    status: str
    lead_unit_id: int
    lead_unit_name: str
    deadline: datetime.date
    progress: int
    light: str = ""

    @staticmethod
    def resolve_lead_unit_name(obj: Task) -> str:
        return obj.lead_unit.name


class MeetingOut(Schema):
    id: int
    name: str
    kind: str
    date: datetime.date
    chair_id: int | None
    attendees: str
    minutes: str
    task_total: int = 0
    task_closed: int = 0
    task_overdue: int = 0


class MeetingDetail(MeetingOut):
    tasks: list[TaskBrief]
    status_counts: dict[str, int]


class MeetingList(Schema):
    count: int
    items: list[MeetingOut]


class MeetingIn(Schema):
    name: str = ""
    kind: str = ""
    date: datetime.date | None = None
    chair: int | None = None
    attendees: str = ""
    minutes: str = ""


class TaskOut(TaskBrief):
    requirement: str
    meeting_id: int | None
    instruction_id: int | None
    parent_id: int | None
    leader_in_charge_id: int | None
    priority: str
    original_deadline: datetime.date
    feedback_frequency: str
    category: str
    is_public: bool
    requires_evidence: bool
    assigned_at: datetime.datetime | None
    accepted_at: datetime.datetime | None
    last_feedback_at: datetime.datetime | None
    completion_requested_on: datetime.date | None
    closed_on: datetime.date | None
    delay_working_days: int | None
    timeliness_rating: int | None
    quality_rating: int | None
    feedback_count: int
    late_feedback_count: int
    return_count: int
    extension_count: int
    chase_count: int


class TaskList(Schema):
    count: int
    items: list[TaskOut]


class NodeOut(Schema):
    id: int
    title: str
    due_date: datetime.date
    done_on: datetime.date | None


class CooperationOut(Schema):
    unit_id: int
    unit_name: str
    feedback_state: str
    last_feedback_at: datetime.datetime | None

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name


class ExtensionOut(Schema):
    id: int
    previous_deadline: datetime.date
    requested_deadline: datetime.date
    reason: str
    status: str
    decision_note: str
    created_at: datetime.datetime
    decided_at: datetime.datetime | None
    office_decided_at: datetime.datetime | None
    office_note: str


class TaskDetail(TaskOut):
    cooperations: list[CooperationOut]
    nodes: list[NodeOut]
    extensions: list[ExtensionOut]

    @staticmethod
    def resolve_cooperations(obj: Task) -> list:
        return list(obj.cooperations.all())

    @staticmethod
    def resolve_nodes(obj: Task) -> list:
        return list(obj.nodes.all())

    @staticmethod
    def resolve_extensions(obj: Task) -> list:
        return list(obj.extensions.all())


class NodeIn(Schema):
    title: str
    due_date: datetime.date


class TaskIn(Schema):
    title: str = ""
    requirement: str = ""
    meeting: int | None = None
    instruction: int | None = None
    lead_unit: int | None = None
    cooperating_units: list[int] = []
    leader_in_charge: int | None = None
    priority: str = "normal"
    deadline: datetime.date | None = None
    feedback_frequency: str = "weekly"
    category: str = "other"
    requires_evidence: bool = False
    is_public: bool = False
    nodes: list[NodeIn] = []


class ActionIn(Schema):
    text: str = ""
    progress: int | None = None
    timeliness: int | None = None
    quality: int | None = None
    note: str = ""
    reason: str = ""
    new_deadline: datetime.date | None = None
    extension: int | None = None


class FileRef(Schema):
    id: int
    original_name: str
    file_type: str
    size: int


class TimelineItem(Schema):
    at: datetime.datetime
    kind: str
    label: str
    actor: str
    unit: str
    text: str
    progress: int | None = None
    files: list[FileRef] = []  # a feedback's or completion request's files (evidence, photos)


class TaskQuery(Schema):
    q: str | None = None
    status: str | None = None
    light: str | None = None
    meeting: str | None = None
    lead_unit: str | None = None
    leader_in_charge: str | None = None
    category: str | None = None
    deadline_from: str | None = None
    deadline_to: str | None = None
    page: str | None = None
    page_size: str | None = None


# --- meetings ------------------------------------------------------------------------------------


@router.get("/meetings", response=MeetingList, summary="会议列表（含交办事项数、已办结、逾期）")
def list_meetings(request):
    return _paged(request, meetings_for(request.user))


def _meeting_detail(request, meeting_id: int) -> dict:
    meeting = policy.get_object_for_user_or_404(request.user, meetings_for(request.user), meeting_id)
    tasks, counts = source_tasks(request.user, meeting=meeting)
    data = MeetingOut.from_orm(meeting).dict()
    return {**data, "tasks": tasks, "status_counts": counts}


@router.get(
    "/meetings/{meeting_id}", response={200: MeetingDetail, **ERRORS}, summary="会议详情与交办事项进度"
)
def get_meeting(request, meeting_id: int):
    return _meeting_detail(request, meeting_id)


def _leader_of(region, pk: int | None, field: str):
    if pk is None:
        return None
    leader = rules.county_leaders(region).filter(pk=pk).first()
    if leader is None:
        raise ValidationError({field: [_("必须是本县的县领导")]})
    return leader


@router.post("/meetings", response={201: MeetingDetail, **ERRORS}, summary="登记会议（督查室）")
def create_meeting(request, payload: MeetingIn):
    region = sources._office_region(request.user, None)
    data = payload.dict()
    data["chair"] = _leader_of(region, data.pop("chair"), "chair")
    meeting = sources.create_meeting(actor=request.user, region=region, **data)
    return Status(201, _meeting_detail(request, meeting.pk))


# --- tasks ---------------------------------------------------------------------------------------


def _detail(request: HttpRequest, task_id: int) -> Task:
    return task_for_page(request.user, task_id)


@router.get("/tasks", response=TaskList, summary="督办事项列表（与督办台账同一筛选）")
def list_tasks(request, filters: Query[TaskQuery]):
    fs = TaskFilter(request.GET, queryset=tasks_for(request.user).order_by("deadline", "id"), request=request)
    return _paged(request, _filtered(fs))


@router.get("/tasks/{task_id}", response={200: TaskDetail, **ERRORS}, summary="督办事项详情")
def get_task(request, task_id: int):
    return policy.get_object_for_user_or_404(
        request.user, with_light(task_for_page_qs(request.user)), task_id
    )


def task_for_page_qs(user):
    return tasks_for(user).prefetch_related("cooperations__unit", "nodes", "extensions")


def _unit(request: HttpRequest, pk: int | None, field: str) -> Unit | None:
    if pk is None:
        return None
    try:
        return policy.get_object_for_user_or_404(request.user, Unit, pk)
    except Http404 as exc:
        raise ValidationError({field: [_("单位不存在或不在您的范围内")]}) from exc


def _source(request, model, pk: int | None, field: str):
    if pk is None:
        return None
    try:
        return policy.get_object_for_user_or_404(request.user, model, pk, action=policy.CHANGE)
    except Http404 as exc:
        raise ValidationError({field: [_("来源不存在或不在您的范围内")]}) from exc


@router.post("/tasks", response={201: TaskDetail, **ERRORS}, summary="新建督办事项（督查室，待交办）")
def create_task(request, payload: TaskIn):
    data = payload.dict()
    lead_unit = _unit(request, data.pop("lead_unit"), "lead_unit")
    if lead_unit is None:
        raise ValidationError({"lead_unit": [_("请选择牵头单位")]})
    region = rules.county_of(lead_unit)
    coops = [_unit(request, pk, "cooperating_units") for pk in data.pop("cooperating_units")]
    task = services.create_task(
        actor=request.user,
        lead_unit=lead_unit,
        cooperating_units=[u for u in coops if u is not None],
        leader_in_charge=_leader_of(region, data.pop("leader_in_charge"), "leader_in_charge"),
        meeting=_source(request, Meeting, data.pop("meeting"), "meeting"),
        instruction=_source(request, Instruction, data.pop("instruction"), "instruction"),
        nodes=[(n["title"], n["due_date"]) for n in data.pop("nodes")],
        **data,
    )
    return Status(201, get_task(request, task.pk))


def _extension(task: Task, pk: int | None) -> ExtensionRequest:
    ext = next((e for e in task.extensions.all() if e.pk == pk), None)
    if ext is None:
        raise ValidationError({"extension": [_("请指明要审批的延期申请")]})
    return ext


def _require(value, field: str, message: str):
    if value is None:
        raise ValidationError({field: [message]})
    return value


def _run(action: str, task: Task, user, p: ActionIn) -> None:
    s = services
    moves = {
        "assign": lambda: s.assign_task(task, actor=user),
        "accept": lambda: s.accept_task(task, actor=user),
        "feedback": lambda: s.add_feedback(task, actor=user, text=p.text, progress=p.progress),
        "request-completion": lambda: s.request_completion(task, actor=user, text=p.text),
        "close": lambda: s.close_task(
            task,
            actor=user,
            timeliness=_require(p.timeliness, "timeliness", _("请选择评价等级")),
            quality=_require(p.quality, "quality", _("请选择评价等级")),
            note=p.note,
        ),
        "return": lambda: s.return_task(task, actor=user, reason=p.reason),
        "request-extension": lambda: extensions.request_extension(
            task,
            actor=user,
            new_deadline=_require(p.new_deadline, "new_deadline", _("请填写申请延至的日期")),
            reason=p.reason,
        ),
        "approve-extension": lambda: extensions.approve_extension(
            _extension(task, p.extension), actor=user, note=p.note
        ),
        "refuse-extension": lambda: extensions.refuse_extension(
            _extension(task, p.extension), actor=user, note=p.note
        ),
        "suspend": lambda: s.suspend_task(task, actor=user, reason=p.reason),
        "resume": lambda: s.resume_task(task, actor=user, reason=p.reason),
        "cancel": lambda: s.cancel_task(task, actor=user, reason=p.reason),
        "chase": lambda: s.chase_task(task, actor=user, note=p.note),
        "comment": lambda: s.comment_task(task, actor=user, text=p.text),
    }
    if action not in moves:
        raise Http404
    moves[action]()


# Declared before the transitions: /tasks/{id}/{action} would otherwise take the path.
@router.get("/tasks/{task_id}/timeline", response={200: list[TimelineItem], **ERRORS}, summary="办理过程")
def task_timeline(request, task_id: int):
    """Feedback, completion requests, comments, extension requests and decisions and chases, by time."""
    task = _detail(request, task_id)
    attach_feedback_files(task)  # one query for every feedback's files
    items = [
        {
            "at": f.created_at,
            "kind": f"feedback.{f.kind}",
            "label": f.get_kind_display(),
            "actor": f.author.display_name,
            "unit": f.unit.name if f.unit else "",
            "text": f.text,
            "progress": f.progress,
            "files": f.files,
        }
        for f in reversed(list(task.feedbacks.all()))  # oldest first; sorted() below is stable
    ]
    for e in task.extensions.all():
        items.append(_item(e.created_at, "extension.requested", _("申请延期"), e.requested_by, e.reason))
        if e.office_decided_at:
            label = _("督查室同意延期，报分管领导审批")
            items.append(
                _item(e.office_decided_at, "extension.forwarded", label, e.office_decided_by, e.office_note)
            )
        if e.decided_at:
            label = _("延期审批：%(status)s") % {"status": e.get_status_display()}
            items.append(_item(e.decided_at, f"extension.{e.status}", label, e.decided_by, e.decision_note))
    for ch in task.chases.all():
        items.append(_item(ch.created_at, f"chase.{ch.kind}", ch.get_kind_display(), ch.chased_by, ch.note))
    return sorted(items, key=lambda i: i["at"])


class FilesIn(Schema):
    text: str = ""
    progress: int | None = None


# Declared before the JSON transitions (a path of its own all the same).
@router.post(
    "/tasks/{task_id}/{action}/files",
    response={200: TaskDetail, **ERRORS},
    summary="带附件的反馈或办结申请（multipart）",
)
def task_action_with_files(
    request,
    task_id: int,
    action: str,
    form: Form[FilesIn],
    files: File[list[UploadedFile]],
):
    """feedback (text, progress, files) or request-completion (text, files: the evidence) as
    multipart/form-data. The files go through the attachments checks (type by content, size,
    at most 10) and are kept with the feedback; one refused file and nothing is saved."""
    task = _detail(request, task_id)
    user, text = request.user, form.text
    if action == "feedback":
        services.add_feedback(task, actor=user, text=text, progress=form.progress, files=files)
    elif action == "request-completion":
        services.request_completion(task, actor=user, text=text, files=files)
    else:
        raise Http404
    return get_task(request, task.pk)


@router.post("/tasks/{task_id}/{action}", response={200: TaskDetail, **ERRORS}, summary="督办事项流转")
def task_action(request, task_id: int, action: str, payload: ActionIn):
    """assign, accept, feedback (text, progress), request-completion (text), close (timeliness,
    quality 1–4, note), return (reason), request-extension (new_deadline, reason),
    approve-extension / refuse-extension (extension, note), suspend / resume / cancel (reason),
    chase (note), comment (text). With files: POST .../{action}/files (multipart)."""
    task = _detail(request, task_id)
    _run(action, task, request.user, payload)
    return get_task(request, task.pk)


def _item(at, kind: str, label: str, actor, text: str) -> dict:
    name = actor.display_name if actor else _("系统")
    return {"at": at, "kind": kind, "label": str(label), "actor": name, "unit": "", "text": text}
