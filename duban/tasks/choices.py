"""States, kinds and the one table of allowed moves of a supervised task (督办事项)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    COUNTY_WORK = "county_work", _("全县工作会议")
    STANDING_COMMITTEE = "standing_committee", _("县委常委会")
    EXECUTIVE = "executive", _("县政府常务会议")
    SPECIAL = "special", _("专题会议")
    OTHER = "other", _("其他会议")


class TaskStatus(models.TextChoices):
    DRAFT = "draft", _("待交办")
    ASSIGNED = "assigned", _("待签收")
    ACCEPTED = "accepted", _("已签收")
    IN_PROGRESS = "in_progress", _("办理中")
    COMPLETION_REQUESTED = "completion_requested", _("申请办结")
    CLOSED = "closed", _("已办结")
    SUSPENDED = "suspended", _("已暂停")
    CANCELLED = "cancelled", _("已撤销")


class Priority(models.TextChoices):
    NORMAL = "normal", _("一般")
    IMPORTANT = "important", _("重要")
    URGENT = "urgent", _("紧急")


class FeedbackFrequency(models.TextChoices):
    ONCE = "once", _("办结时反馈一次")
    WEEKLY = "weekly", _("每周")
    BIWEEKLY = "biweekly", _("每两周")
    MONTHLY = "monthly", _("每月")
    PER_NODE = "per_node", _("每个时间节点")


# Calendar days between two expected feedbacks (per_node and once are chased by node/deadline).
FEEDBACK_INTERVAL_DAYS: dict[str, int] = {
    FeedbackFrequency.WEEKLY: 7,
    FeedbackFrequency.BIWEEKLY: 14,
    FeedbackFrequency.MONTHLY: 30,
}


class Category(models.TextChoices):
    PROJECT = "project", _("重点项目")
    INVESTMENT = "investment", _("招商引资")
    INDICATOR = "indicator", _("经济指标")
    CAMPAIGN = "campaign", _("专项行动")
    OTHER = "other", _("其他")


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    PENDING_LEADER = "pending_leader", _("待分管领导审批")
    APPROVED = "approved", _("已同意")
    REFUSED = "refused", _("未同意")


class CoopState(models.TextChoices):
    """A cooperating unit's feedback to the lead unit."""

    WAITING = "waiting", _("未反馈")
    FED_BACK = "fed_back", _("已反馈")


class FeedbackKind(models.TextChoices):
    PROGRESS = "progress", _("进展反馈")
    COMPLETION = "completion", _("办结申请")
    COMMENT = "comment", _("领导批注")


class Rating(models.IntegerChoices):
    EXCELLENT = 4, _("优秀")
    GOOD = 3, _("良好")
    FAIR = 2, _("一般")
    POOR = 1, _("较差")


class ChaseKind(models.TextChoices):
    MANUAL = "manual", _("人工催办")
    ACCEPT = "accept", _("催签收")
    BEFORE_NODE = "before_node", _("节点临近")
    NODE_DUE = "node_due", _("节点到期")
    NODE_OVERDUE = "node_overdue", _("节点逾期")
    BEFORE_DEADLINE = "before_deadline", _("截止临近")
    DUE = "due", _("今日截止")
    OVERDUE = "overdue", _("已逾期")
    FEEDBACK_MISSING = "feedback_missing", _("未按期反馈")
    ESCALATE_HEAD = "escalate_head", _("逾期提级(单位主要负责人)")
    ESCALATE_LEADER = "escalate_leader", _("逾期提级(分管领导)")


S = TaskStatus
OPEN = frozenset({S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS, S.COMPLETION_REQUESTED})
WORKING = frozenset({S.ACCEPTED, S.IN_PROGRESS})

# The one table of moves: action -> (states it may start from, state it leads to).
# "feedback" keeps a task in progress; extension requests and chases do not change the state
# and are allowed in WORKING + assigned (see ACTION_STATES).
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "assign": (frozenset({S.DRAFT}), S.ASSIGNED),
    "accept": (frozenset({S.ASSIGNED}), S.ACCEPTED),
    "feedback": (WORKING, S.IN_PROGRESS),
    "request_completion": (WORKING, S.COMPLETION_REQUESTED),
    "close": (frozenset({S.COMPLETION_REQUESTED}), S.CLOSED),
    "return": (frozenset({S.COMPLETION_REQUESTED}), S.IN_PROGRESS),
    "suspend": (frozenset({S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS}), S.SUSPENDED),
    "resume": (frozenset({S.SUSPENDED}), S.IN_PROGRESS),
    "cancel": (frozenset({S.DRAFT, *OPEN, S.SUSPENDED}), S.CANCELLED),
}
# Actions that leave the state alone but are allowed only in some states.
ACTION_STATES: dict[str, frozenset[str]] = {
    "request_extension": frozenset({S.ASSIGNED, *WORKING}),
    "decide_extension": frozenset({S.ASSIGNED, *WORKING, S.COMPLETION_REQUESTED}),
    "chase": OPEN,
    "comment": frozenset({*OPEN, S.SUSPENDED, S.CLOSED}),
}

ACTION_LABELS = {
    "assign": _("交办"),
    "accept": _("签收"),
    "feedback": _("反馈进展"),
    "request_completion": _("申请办结"),
    "close": _("办结"),
    "return": _("退回"),
    "suspend": _("暂停"),
    "resume": _("恢复办理"),
    "cancel": _("撤销"),
    "request_extension": _("申请延期"),
    "decide_extension": _("审批延期"),
    "chase": _("催办"),
    "comment": _("批注"),
}


def allowed_from(action: str) -> frozenset[str]:
    if action in TRANSITIONS:
        return TRANSITIONS[action][0]
    return ACTION_STATES[action]
