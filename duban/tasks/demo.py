"""Demo data for supervised tasks (registered with duban.org.demo's builder registry).

A year of the supervision office's work in the demo county, replayed day by day through the
services (duban.tasks.clock), so every rule applies and every move is audited: eleven monthly
meetings and six leaders' instructions over the past year, then the year-end county work
meeting (six working days ago) whose tasks cover key projects, investment, indicators and the
rural environment campaign, one of them split into every town ("各镇街要…"). About 220 tasks in
every state; some units are late (slow to accept, late feedback, late completion, overdue),
the others mostly on time; extensions granted and refused, returns, chases, leaders' comments.

Deterministic for a seed and a day: each meeting draws from its own `random.Random`, so the
draws never depend on what already exists, and `ctx.rng` is left to the other builders except
for the liaison accounts added here. Idempotent: a meeting or instruction that exists (by
county, name or text, and date) is skipped with its tasks. Replayed moves notify nobody.
"""

from __future__ import annotations

import datetime
import random
from zoneinfo import ZoneInfo

from django.utils import timezone

from duban.accounts.choices import Role
from duban.accounts.models import User
from duban.core import calendar
from duban.org.choices import UnitKind

from . import clock, extensions, services, sources
from .choices import Category, ExtensionStatus, FeedbackFrequency, MeetingKind, Priority, TaskStatus
from .models import Instruction, Meeting, Task

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Departments that lead tasks in the demo (each gets a liaison account if it has none).
LEAD_DEPARTMENTS = ["fgj", "swj", "tjj", "zjj", "zrj", "nyj", "hjj", "jtj", "gxj", "czj", "slj"]
LATE_UNITS = {"zrj", "jtj", "shiqiao", "mafang"}  # the units the ranking shows at the bottom
MONTHLY_MEETINGS = [
    ("全县经济工作会议", MeetingKind.COUNTY_WORK),
    ("县委常委会第{n}次会议", MeetingKind.STANDING_COMMITTEE),
    ("县政府第{n}次常务会议", MeetingKind.EXECUTIVE),
    ("重点项目建设推进专题会议", MeetingKind.SPECIAL),
    ("县政府第{n}次常务会议", MeetingKind.EXECUTIVE),
    ("招商引资工作调度会", MeetingKind.SPECIAL),
    ("县委常委会第{n}次会议", MeetingKind.STANDING_COMMITTEE),
    ("经济运行分析会", MeetingKind.SPECIAL),
    ("县政府第{n}次常务会议", MeetingKind.EXECUTIVE),
    ("农村人居环境整治推进会", MeetingKind.SPECIAL),
    ("县委常委会第{n}次会议", MeetingKind.STANDING_COMMITTEE),
]
TASKS_PER_MEETING = 16
FREQUENCIES = [FeedbackFrequency.WEEKLY, FeedbackFrequency.BIWEEKLY, FeedbackFrequency.BIWEEKLY,
               FeedbackFrequency.MONTHLY]  # fmt: skip
# (category, title, lead unit slugs to draw from, cooperating unit slugs)
CATALOGUE: list[tuple[str, str, list[str], list[str]]] = [
    (Category.PROJECT, "加快{p}建设进度，确保按节点完成", ["fgj", "zjj", "gxj"], ["zrj"]),
    (Category.PROJECT, "协调解决{p}用地报批问题", ["zrj"], ["fgj"]),
    (Category.PROJECT, "做好{p}观摩现场准备", ["zjj", "kfq", "gxq"], ["hjj"]),
    (Category.PROJECT, "推进{p}配套道路建设", ["jtj"], ["zjj", "czj"]),
    (Category.INVESTMENT, "对接{c}客商，力争年前签约", ["swj", "kfq", "gxj"], ["fgj"]),
    (Category.INVESTMENT, "梳理在谈项目清单，逐项明确责任人", ["swj"], ["gxj"]),
    (Category.INVESTMENT, "落实签约项目开工前手续", ["fgj", "kfq"], ["zrj", "hjj"]),
    (Category.INDICATOR, "分析{i}增速偏低原因，提出赶超措施", ["tjj", "fgj", "gxj"], ["czj"]),
    (Category.INDICATOR, "开展{i}回头看，补齐欠账", ["tjj", "czj", "swj"], ["fgj"]),
    (Category.CAMPAIGN, "开展村庄清洁行动，整治{v}", ["nyj", "hjj"], ["zjj"]),
    (Category.CAMPAIGN, "推进村内通道路硬化", ["jtj", "nyj"], ["czj"]),
    (Category.OTHER, "落实安全生产大检查整改", ["gxj", "zjj", "slj"], ["hjj"]),
    (Category.OTHER, "完成汛前水利设施隐患排查", ["slj"], ["nyj"]),
]
PROJECTS = [
    "智能装备产业园",
    "城南污水处理厂",
    "新能源电池项目",
    "冷链物流园",
    "县医院新院区",
    "高新区标准厂房",
]
CITIES = ["苏州", "宁波", "深圳", "合肥", "青岛", "东莞"]
INDICATORS = ["规上工业增加值", "固定资产投资", "社会消费品零售总额", "一般公共预算收入"]
VILLAGE_ISSUES = ["生活垃圾乱堆乱放", "农村黑臭水体", "残垣断壁", "畜禽粪污"]
FEEDBACKS = ["已召开专题会议部署，明确责任人和时间表。", "现场调度推进，正在按计划实施。",
             "已完成阶段性工作，下一步加快推进。", "协调解决了资金和手续问题，进度加快。",
             "本周完成主要工作量，部分扫尾。"]  # fmt: skip


def _at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHANGHAI)


class Year:
    """The office, the leaders, the units with a liaison and 'today' of one demo build."""

    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self.today = timezone.localdate()
        self.office = User.objects.get(username="office1")
        self.leaders = ctx.leaders
        towns = [ctx.units[slug] for slug in ctx.units if ctx.units[slug].kind == UnitKind.TOWN]
        self.towns = sorted(towns, key=lambda u: (u.sort_order, u.name))
        self.liaison: dict[int, User] = {}
        self.slug: dict[int, str] = {}
        for slug in [*LEAD_DEPARTMENTS, "kfq", "gxq", *(s for s in ctx.units if ctx.units[s] in self.towns)]:
            unit = ctx.units[slug]
            self.slug[unit.pk] = slug
            self.liaison[unit.pk] = self._liaison(slug, unit)

    def _liaison(self, slug: str, unit) -> User:
        prefix = {UnitKind.TOWN: f"town_{slug}", UnitKind.PARK: f"park_{slug}"}.get(unit.kind, slug)
        return self.ctx.add_account(f"{prefix}_liaison", Role.UNIT_LIAISON, unit=unit, title="督办联络员")

    def unit(self, slug: str):
        return self.ctx.units[slug]

    def late(self, unit) -> bool:
        return self.slug.get(unit.pk) in LATE_UNITS


def build_tasks_demo(ctx) -> None:
    year = Year(ctx)
    n = 0
    for months_back, (name, kind) in zip(range(11, 0, -1), MONTHLY_MEETINGS, strict=True):
        day = calendar.next_workday(year.today - datetime.timedelta(days=30 * months_back + 3))
        n += 1
        rng = random.Random(f"{ctx.seed}-tasks-{n}")
        meeting = _meeting(year, name.format(n=n + 2), kind, day, rng)
        if meeting is not None:
            for i in range(TASKS_PER_MEETING):
                _task_life(year, rng, meeting=meeting, index=i)
    for k in range(6):
        _instruction(year, k, random.Random(f"{ctx.seed}-tasks-instruction-{k}"))
    _year_end(year, random.Random(f"{ctx.seed}-tasks-year-end"))


def _meeting(year: Year, name: str, kind: str, day: datetime.date, rng) -> Meeting | None:
    if Meeting.objects.filter(region=year.ctx.county, name=name, date=day).exists():
        return None
    with clock.replay(_at(day, 8)):
        return sources.create_meeting(
            actor=year.office,
            name=name,
            kind=kind,
            date=day,
            chair=year.leaders[rng.choice([0, 1, 1, 2])],
            attendees="县委、县政府领导班子成员，各镇街、县直各部门主要负责人",
            minutes=f"会议听取了近期重点工作进展情况汇报，研究部署了下一阶段工作。会议要求各单位对照任务清单，卡死时间节点，按期办结。（{name}）",
            region=year.ctx.county,
        )


def _instruction(year: Year, k: int, rng) -> None:
    day = calendar.next_workday(year.today - datetime.timedelta(days=45 * k + 20))
    leader = year.leaders[k % 3]
    text = ["请商务局牵头，抓紧对接，务必年前签约。", "请统计局会同有关部门认真分析指标下滑原因。",
            "请住建局督促施工单位加快进度，确保观摩节点。"][k % 3]  # fmt: skip
    if Instruction.objects.filter(region=year.ctx.county, leader=leader, date=day, text=text).exists():
        return
    with clock.replay(_at(day, 8)):
        instruction = sources.create_instruction(
            actor=year.office, leader=leader, date=day, text=text, region=year.ctx.county
        )
    for i in range(2):
        _task_life(year, rng, instruction=instruction, index=k * 2 + i)


def _title(rng, template: str) -> str:
    return template.format(
        p=rng.choice(PROJECTS), c=rng.choice(CITIES), i=rng.choice(INDICATORS), v=rng.choice(VILLAGE_ISSUES)
    )


def _create(year: Year, rng, start: datetime.date, *, meeting=None, instruction=None, spec=None, span=None):
    category, template, leads, coops = spec or rng.choice(CATALOGUE)
    lead = year.unit(rng.choice(leads))
    assign_day = calendar.add_working_days(start, 1)
    deadline = calendar.add_working_days(assign_day, span or rng.choice([8, 10, 15, 20, 25, 30]))
    node_day = calendar.add_working_days(assign_day, 5)
    with clock.replay(_at(start, 16)):
        task = services.create_task(
            actor=year.office,
            title=_title(rng, template),
            requirement="按照会议要求，明确专人负责，倒排工期，按时间节点推进，按期反馈进展。",
            lead_unit=lead,
            deadline=deadline,
            meeting=meeting,
            instruction=instruction,
            cooperating_units=[year.unit(s) for s in coops if year.unit(s).pk != lead.pk],
            leader_in_charge=year.leaders[rng.randint(2, 7)],
            priority=rng.choice([Priority.NORMAL, Priority.NORMAL, Priority.IMPORTANT, Priority.URGENT]),
            feedback_frequency=rng.choice(FREQUENCIES),
            category=category,
            nodes=[("完成方案制定", node_day)] if node_day < deadline else [],
        )
    return task, assign_day


def _task_life(year: Year, rng, *, index: int, meeting=None, instruction=None) -> Task:
    start = meeting.date if meeting else instruction.date
    task, assign_day = _create(year, rng, start, meeting=meeting, instruction=instruction)
    _play(year, rng, task, assign_day)
    return task


def _play(year: Year, rng, task: Task, assign_day: datetime.date, *, stop_at: str = "") -> None:
    """Assign, accept, feed back, extend, complete, return and close as the unit's habits say."""
    today, late = year.today, year.late(task.lead_unit)
    liaison = year.liaison[task.lead_unit_id]
    if assign_day > today:
        return
    with clock.replay(_at(assign_day, 9)):
        task = services.assign_task(task, actor=year.office)
    accept_day = calendar.add_working_days(assign_day, rng.randint(2, 5) if late else rng.randint(0, 1))
    if stop_at == "assigned" or accept_day > today:
        return
    with clock.replay(_at(accept_day, 10)):
        task = services.accept_task(task, actor=liaison)
    if rng.random() < 0.04:
        with clock.replay(_at(accept_day, 15)):
            services.cancel_task(task, actor=year.office, reason="根据工作调整，该事项不再单独督办")
        return
    # Some tasks of the late units (and a few others) are still not done, long after the deadline.
    stuck = rng.random() < (0.3 if late else 0.06)
    finish = today + datetime.timedelta(days=365) if stuck else _finish_day(rng, task, late)
    day = accept_day
    ask = calendar.add_working_days(task.deadline, -2)
    if finish > task.deadline and accept_day < ask <= today and rng.random() < 0.5:
        day = _feedbacks(year, rng, task, liaison, day, ask, late)
        approved = _extension(year, rng, task, liaison, ask)
        task.refresh_from_db()  # the services saved their own copy: read the new deadline
        if approved and not stuck:
            finish = _finish_day(rng, task, late)
        day = ask
    day = _feedbacks(year, rng, task, liaison, day, min(finish, today), late)
    task.refresh_from_db()
    if task.status in (TaskStatus.ACCEPTED, TaskStatus.IN_PROGRESS) and rng.random() < 0.04 and day < today:
        with clock.replay(_at(day, 16)):
            services.suspend_task(task, actor=year.office, reason="受上级政策调整影响，暂缓推进")
        return
    if finish > today:
        _chase_if_overdue(year, rng, task)
        return
    _complete(year, rng, task, liaison, finish)


def _finish_day(rng, task: Task, late: bool) -> datetime.date:
    if rng.random() < (0.5 if late else 0.12):
        return calendar.add_working_days(task.deadline, rng.randint(1, 12))
    return calendar.add_working_days(task.deadline, -rng.randint(0, 3))


def _feedbacks(year, rng, task, liaison, day, until, late) -> datetime.date:
    progress = task.progress
    interval = {FeedbackFrequency.BIWEEKLY: 14, FeedbackFrequency.MONTHLY: 30}.get(task.feedback_frequency, 7)
    while True:
        gap = interval + rng.randint(2, 9) if late and rng.random() < 0.5 else interval - rng.randint(0, 1)
        nxt = day + datetime.timedelta(days=gap)
        if nxt >= until:
            return day
        day = nxt
        progress = min(90, progress + rng.randint(10, 30))
        with clock.replay(_at(day, 11)):
            services.add_feedback(task, actor=liaison, text=rng.choice(FEEDBACKS), progress=progress)
        if rng.random() < 0.05:
            with clock.replay(_at(day, 17)):
                services.comment_task(
                    task, actor=task.leader_in_charge, text="要进一步加快进度，确保按期完成。"
                )


def _extension(year, rng, task, liaison, ask) -> bool:
    """A unit about to be late asks for more time two working days before the deadline."""
    with clock.replay(_at(ask, 10)):
        ext = extensions.request_extension(
            task,
            actor=liaison,
            new_deadline=calendar.add_working_days(task.deadline, rng.choice([5, 10, 15])),
            reason="受审批手续和天气影响，需顺延办理时限。",
        )
    with clock.replay(_at(ask, 16)):
        if rng.random() < 0.6:
            ext = extensions.approve_extension(ext, actor=year.office, note="同意延期，请卡死新的时间节点")
            if ext.status == ExtensionStatus.PENDING_LEADER:  # two steps configured: the leader decides
                extensions.approve_extension(ext, actor=task.leader_in_charge, note="同意")
            return True
        extensions.refuse_extension(ext, actor=year.office, note="时间节点不能调整，请加大力度")
        return False


def _chase_if_overdue(year, rng, task) -> None:
    if task.deadline >= year.today or task.status not in (TaskStatus.ACCEPTED, TaskStatus.IN_PROGRESS):
        return
    day = calendar.add_working_days(task.deadline, 1)
    if day <= year.today:
        with clock.replay(_at(day, 9, 30)):
            services.chase_task(task, actor=year.office, note="已超过办结时限，请抓紧办理并说明原因")


def _complete(year, rng, task, liaison, day) -> None:
    with clock.replay(_at(day, 14)):
        services.request_completion(task, actor=liaison, text="已按要求完成，申请办结。")
    decide = calendar.add_working_days(day, rng.randint(1, 6))
    if decide > year.today:
        return
    if rng.random() < 0.12:
        with clock.replay(_at(decide, 10)):
            services.return_task(task, actor=year.office, reason="佐证材料不充分，请补充完善后再申请办结")
        day = calendar.add_working_days(decide, rng.randint(2, 5))
        if day > year.today:
            return
        with clock.replay(_at(day, 14)):
            services.request_completion(task, actor=liaison, text="已补充完善，再次申请办结。")
        decide = calendar.add_working_days(day, 1)
        if decide > year.today:
            return
    with clock.replay(_at(decide, 11)):
        delay = calendar.working_days_between(task.deadline, day)
        rating = 4 if delay <= 0 else 3 if delay <= 3 else 2
        services.close_task(task, actor=year.office, timeliness=rating, quality=rng.choice([3, 4, 4]))


YEAR_END = [
    (Category.PROJECT, "市级观摩项目冲刺：{p}主体完工、设备进场", ["zjj", "gxj", "kfq"], ["zrj", "hjj"]),
    (Category.PROJECT, "重点项目年度投资任务清零攻坚", ["fgj"], ["czj", "tjj"]),
    (Category.INVESTMENT, "年前签约项目不少于5个，对接{c}客商", ["swj"], ["kfq", "gxq"]),
    (Category.INVESTMENT, "签约项目年前开工手续全部办结", ["fgj", "kfq"], ["zrj"]),
    (Category.INDICATOR, "对位次靠后指标开展回头看，制定赶超方案", ["tjj"], ["fgj", "czj"]),
    (Category.INDICATOR, "确保{i}全年目标完成", ["gxj", "swj", "czj"], ["tjj"]),
    (Category.CAMPAIGN, "筹备农村环境综合整治现场会", ["nyj"], ["hjj", "zjj"]),
    (Category.CAMPAIGN, "村内通道路年底前全部完工", ["jtj"], ["nyj", "czj"]),
]


def _year_end(year: Year, rng) -> None:
    """The year-end county work meeting, six working days ago: work mostly just assigned."""
    day = calendar.add_working_days(year.today, -6)
    meeting = _meeting(year, "全县年终工作推进会", MeetingKind.COUNTY_WORK, day, rng)
    if meeting is None:
        return
    spring = calendar.before_spring_festival(year.today.year + 1)
    for k in range(16):
        spec = YEAR_END[k % len(YEAR_END)]
        span = max(
            5, calendar.working_days_between(calendar.add_working_days(day, 1), spring) - rng.randint(0, 20)
        )
        task, assign_day = _create(year, rng, day, meeting=meeting, spec=spec, span=span)
        if k >= 14:
            continue  # left as drafts: the office has not assigned them yet
        _play(year, rng, task, assign_day, stop_at="assigned" if k % 5 == 4 else "")
    parent_spec: tuple[str, str, list[str], list[str]] = (
        Category.CAMPAIGN,
        "各镇街开展冬季村庄清洁行动，逐村销号",
        ["nyj"],
        [],
    )
    parent, assign_day = _create(year, rng, day, meeting=meeting, spec=parent_spec, span=15)
    with clock.replay(_at(day, 17)):
        subtasks = services.split_task(parent, actor=year.office, units=year.towns)
    for sub in subtasks:
        _play(year, rng, sub, assign_day)
