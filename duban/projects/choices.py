"""States and kinds of key projects, milestones and problems, with their allowed transitions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    INDUSTRIAL = "industrial", _("工业项目")
    INFRASTRUCTURE = "infrastructure", _("基础设施")
    SOCIAL = "social", _("社会事业")
    URBAN = "urban", _("城市建设")
    AGRICULTURE = "agriculture", _("农业农村")
    SERVICES = "services", _("现代服务业")


class Level(models.TextChoices):
    CITY_SHOWCASE = "city_showcase", _("市级观摩项目")
    COUNTY_KEY = "county_key", _("县级重点项目")
    ORDINARY = "ordinary", _("一般项目")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("计划")
    UNDER_CONSTRUCTION = "under_construction", _("在建")
    COMPLETED = "completed", _("竣工")
    IN_PRODUCTION = "in_production", _("投产")
    SUSPENDED = "suspended", _("停工")


class MilestoneKind(models.TextChoices):
    LAND_APPROVAL = "land_approval", _("土地审批")
    PLANNING_PERMIT = "planning_permit", _("规划许可")
    CONSTRUCTION_PERMIT = "construction_permit", _("施工许可")
    GROUNDBREAKING = "groundbreaking", _("开工建设")
    TOPPED_OUT = "topped_out", _("主体封顶")
    EQUIPMENT_INSTALLED = "equipment_installed", _("设备安装")
    TRIAL_PRODUCTION = "trial_production", _("试生产")
    COMPLETION = "completion", _("竣工验收")
    OTHER = "other", _("其他节点")


# The milestones a new project gets, per category, in order (a project may add others).
_BUILD = [
    MilestoneKind.LAND_APPROVAL,
    MilestoneKind.PLANNING_PERMIT,
    MilestoneKind.CONSTRUCTION_PERMIT,
    MilestoneKind.GROUNDBREAKING,
    MilestoneKind.TOPPED_OUT,
]
MILESTONE_TEMPLATES: dict[str, list[str]] = {
    Category.INDUSTRIAL: [*_BUILD, MilestoneKind.EQUIPMENT_INSTALLED, MilestoneKind.TRIAL_PRODUCTION],
    Category.INFRASTRUCTURE: [*_BUILD[:4], MilestoneKind.COMPLETION],
    Category.SOCIAL: [*_BUILD, MilestoneKind.COMPLETION],
    Category.URBAN: [*_BUILD, MilestoneKind.COMPLETION],
    Category.AGRICULTURE: [
        MilestoneKind.LAND_APPROVAL,
        MilestoneKind.GROUNDBREAKING,
        MilestoneKind.COMPLETION,
    ],
    Category.SERVICES: [*_BUILD, MilestoneKind.COMPLETION],
}


class MoveStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已同意")
    REFUSED = "refused", _("不同意")


class ProblemKind(models.TextChoices):
    LAND = "land", _("用地")
    PERMITS = "permits", _("审批手续")
    FUNDS = "funds", _("资金")
    UTILITIES = "utilities", _("水电气暖")
    LABOUR = "labour", _("用工")
    DISPUTE = "dispute", _("矛盾纠纷")
    OTHER = "other", _("其他")


class ProblemStatus(models.TextChoices):
    RAISED = "raised", _("已提出")
    ASSIGNED = "assigned", _("已交办")
    ANSWERED = "answered", _("已答复")
    RETURNED = "returned", _("已退回")
    CLOSED = "closed", _("已销号")


# action -> (states it may start from, state it leads to). One service per action.
PROBLEM_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "assign": (frozenset({ProblemStatus.RAISED}), ProblemStatus.ASSIGNED),
    "answer": (frozenset({ProblemStatus.ASSIGNED, ProblemStatus.RETURNED}), ProblemStatus.ANSWERED),
    "close_out": (frozenset({ProblemStatus.ANSWERED}), ProblemStatus.CLOSED),
    "return": (frozenset({ProblemStatus.ANSWERED}), ProblemStatus.RETURNED),
}
# Problems the responsible units still owe an answer or a fix on.
OPEN_PROBLEM_STATES = frozenset(
    {ProblemStatus.RAISED, ProblemStatus.ASSIGNED, ProblemStatus.RETURNED, ProblemStatus.ANSWERED}
)


class Organiser(models.TextChoices):
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")


class Readiness(models.TextChoices):
    MET = "met", _("达到")
    PARTLY = "partly", _("部分达到")
    NOT_MET = "not_met", _("未达到")


class ReportFrequency(models.TextChoices):
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已审核")
    RETURNED = "returned", _("已退回")


# action -> (states it may start from, state it leads to) for progress reports.
REPORT_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "approve": (frozenset({ReportStatus.SUBMITTED}), ReportStatus.APPROVED),
    "return": (frozenset({ReportStatus.SUBMITTED}), ReportStatus.RETURNED),
    "resubmit": (frozenset({ReportStatus.RETURNED}), ReportStatus.SUBMITTED),
    "correct": (frozenset({ReportStatus.APPROVED}), ReportStatus.SUBMITTED),
}


class LandKind(models.TextChoices):
    NEW_CONSTRUCTION = "new_construction", _("新增建设用地")
    LINKAGE = "linkage", _("城乡建设用地增减挂钩")
    BALANCE = "balance", _("耕地占补平衡")


class LandStage(models.TextChoices):
    SITE_SELECTION = "site_selection", _("选址")
    PRE_REVIEW = "pre_review", _("用地预审")
    CONVERSION = "conversion", _("农转用报批")
    SUPPLY = "supply", _("土地供应")


class Urgency(models.TextChoices):
    HIGH = "high", _("急")
    MEDIUM = "medium", _("较急")
    LOW = "low", _("一般")


class LandRequestStatus(models.TextChoices):
    REQUESTED = "requested", _("已申请")
    PROPOSED = "proposed", _("已拟安排")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("不予安排")


# action -> (states it may start from, state it leads to) for land quota requests.
LAND_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "propose": (
        frozenset({LandRequestStatus.REQUESTED, LandRequestStatus.PROPOSED}),
        LandRequestStatus.PROPOSED,
    ),
    "approve": (frozenset({LandRequestStatus.PROPOSED}), LandRequestStatus.APPROVED),
    "refuse": (
        frozenset({LandRequestStatus.REQUESTED, LandRequestStatus.PROPOSED}),
        LandRequestStatus.REFUSED,
    ),
}


class PlanStep(models.TextChoices):
    SURVEY = "survey", _("现状调查")
    DRAFT = "draft", _("规划编制")
    EXPERT_REVIEW = "expert_review", _("专家评审")
    APPROVAL = "approval", _("规划批复")


# The plan-making steps a new programme gets, in order.
PLAN_TEMPLATE = [PlanStep.SURVEY, PlanStep.DRAFT, PlanStep.EXPERT_REVIEW, PlanStep.APPROVAL]
