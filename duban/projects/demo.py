"""Demo data of key projects for the demo county (`duban demo`): about 60 projects, 20 of them
city-showcase projects with stewards, milestones in every state, problems open and closed, site
visits with photos, the year's progress reports and the December showcase tour.

Everything goes through the services (so the audit trail holds it). Idempotent: a project is
found by its code (`<county>-<year>-D<NN>`) and skipped with everything hanging on it; the tour
by its name. Deterministic for a seed: a private `random.Random` drawn in a fixed order.

The build runs on one day, so to look like a year that was lived in, three kinds of dates are
set back after their service call (and documented here): problem deadlines of the problems
meant to be overdue, and the submission time (and so the late flag) of progress reports.
"""

from __future__ import annotations

import datetime
import io
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw
from PIL.TiffImagePlugin import IFDRational

from duban.accounts.models import User
from duban.attachments import services as attachments
from duban.org.choices import RegionLevel, UnitKind
from duban.org.models import Region

from . import services
from .choices import Category, Level, ProjectStatus
from .models import Problem, ProgressReport, Project, Showcase
from .periods import due_date, period_of
from .services import reports as report_services
from .services.visits import convert_decision, record_site_visit

NAMES: dict[str, list[str]] = {
    Category.INDUSTRIAL: [
        "新材料产业园", "高端装备制造基地", "新能源电池材料项目", "精密铸造产业园", "生物医药产业园",
        "智能家电配件项目", "纺织服装产业园", "食品精深加工项目", "光伏组件生产线", "汽车零部件产业园",
        "电子信息产业园", "绿色建材产业园", "预制菜产业园", "化工园区提升改造",
    ],
    Category.INFRASTRUCTURE: [
        "污水处理厂提标改造", "城乡供水一体化工程", "县城集中供热改造", "220千伏输变电工程", "国道改线工程",
        "农村公路提档升级", "城区雨污分流改造", "生活垃圾焚烧发电项目", "天然气管网工程", "水库除险加固工程",
    ],
    Category.SOCIAL: [
        "县人民医院新院区", "县中医院门诊综合楼", "第二实验中学", "职业教育中心实训基地", "县养老服务中心",
        "全民健身中心", "文化艺术中心", "疾控中心实验楼",
    ],
    Category.URBAN: [
        "城区道路提升", "老旧小区改造", "滨河公园", "城市更新片区", "保障性租赁住房", "智慧停车场",
        "城东新区路网",
    ],
    Category.AGRICULTURE: [
        "农产品冷链物流中心", "高标准农田建设", "现代农业产业园", "智慧蔬菜大棚", "生猪标准化养殖场",
        "粮食仓储设施",
    ],
    Category.SERVICES: ["电商物流园", "文旅综合体", "商贸物流中心", "乡村旅游度假区", "农贸市场改造", "综合物流港"],
}  # fmt: skip
TOTAL = 60
SHOWCASE = 20
# Lead units that have demo accounts (their liaison reports, their head approves).
REPORTING_UNITS = ["fgj", "swj", "zjj", "zrj", "nyj", "chengguan", "dongcheng", "kfq"]
OTHER_LEADS = ["gxj", "jtj", "slj", "wjj", "jyj", "wlj", "cgj", "hjj", "kjj"]
ACCOUNT_PREFIX = {"chengguan": "town_chengguan", "dongcheng": "town_dongcheng", "kfq": "park_kfq"}
PROBLEM_UNITS = ["zrj", "gdgs", "zjj", "hjj", "spj", "jtj", "slj", "rsj"]
PROBLEMS = [
    ("land", "二期用地尚未完成农转用报批"),
    ("utilities", "施工临时用电容量不足"),
    ("permits", "施工许可证办理进度慢"),
    ("funds", "配套资金未按期到位"),
    ("labour", "高峰期用工缺口约80人"),
    ("dispute", "周边群众反映夜间施工噪音"),
    ("utilities", "天然气接入管线未敷设"),
    ("land", "部分地块青苗补偿未完成"),
]
CRITERIA = [
    ("投资完成", "15", "年度计划投资完成80%以上"),
    ("形象进度", "30", "主体封顶、外立面完工，现场整洁"),
    ("投产达效", "25", "设备安装完毕并试生产"),
    ("带动就业", "15", "新增就业100人以上"),
    ("税收贡献", "15", "已产生税收"),
]
LAT, LNG = Decimal("36.41"), Decimal("117.52")  # an invented spot for the photos' GPS


def second_friday_of_december(year: int) -> datetime.date:
    first = datetime.date(year, 12, 1)
    return first + datetime.timedelta(days=(4 - first.weekday()) % 7 + 7)


def _names(rng: random.Random) -> list[tuple[str, str]]:
    """60 (name, category) pairs: every pool once, then second phases of drawn ones."""
    pairs = [(name, cat) for cat, names in NAMES.items() for name in names]
    rng.shuffle(pairs)
    extra = [(f"{name}二期", cat) for name, cat in rng.sample(pairs, TOTAL - len(pairs))]
    return (pairs + extra)[:TOTAL]


class _People:
    def __init__(self, ctx):
        wanted = ["office1", "office2", "inspector1", "inspector2", "inspector3"]
        for slug in REPORTING_UNITS:
            prefix = ACCOUNT_PREFIX.get(slug, slug)
            wanted += [f"{prefix}_head", f"{prefix}_liaison"]
        self.by_name = {
            u.username: u for u in User.objects.filter(username__in=wanted).select_related("unit")
        }
        self.office = self.by_name["office1"]
        self.leaders = ctx.leaders

    def of(self, slug: str, role: str) -> User:
        return self.by_name[f"{ACCOUNT_PREFIX.get(slug, slug)}_{role}"]


def photo(day: datetime.date, n: int, rng: random.Random) -> SimpleUploadedFile:
    """A small site photo (a sky, a building, a crane) with camera time and GPS in its EXIF."""
    image = Image.new("RGB", (320, 240), (150 + rng.randrange(60), 190, 225))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 180, 320, 240), fill=(120, 105, 80))
    height = 60 + rng.randrange(90)
    draw.rectangle((60, 180 - height, 180, 180), fill=(170, 170, 165))
    draw.line((230, 180, 230, 40, 300, 40), fill=(220, 160, 30), width=5)
    exif = Image.Exif()
    exif[271], exif[272] = "HUAWEI", "Mate60"
    exif.get_ifd(0x8769)[36867] = f"{day:%Y:%m:%d} 10:{n % 60:02d}:00"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[3] = "N", "E"
    lat, lng = LAT + Decimal(rng.randrange(2000)) / 100000, LNG + Decimal(rng.randrange(2000)) / 100000
    gps[2] = _dms(lat)
    gps[4] = _dms(lng)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70, exif=exif)
    return SimpleUploadedFile(f"现场照片{n}.jpg", out.getvalue(), content_type="image/jpeg")


def _dms(value: Decimal) -> tuple:
    degrees = int(value)
    minutes_full = (value - degrees) * 60
    minutes = int(minutes_full)
    seconds = int((minutes_full - minutes) * 60 * 100)
    return (IFDRational(degrees, 1), IFDRational(minutes, 1), IFDRational(seconds, 100))


def build_projects_demo(ctx) -> None:
    """The builder registered with duban.org.demo (see the module docstring)."""
    rng = random.Random(f"projects-{ctx.seed}")
    today = timezone.localdate()
    year = today.year
    people = _People(ctx)
    county = ctx.county
    places = [u for u in ctx.units.values() if u.kind in (UnitKind.TOWN, UnitKind.PARK)]
    villages: dict[str, list[Region]] = {}
    for v in Region.objects.filter(level=RegionLevel.VILLAGE, path__startswith=county.path).order_by("path"):
        villages.setdefault(v.parent_id, []).append(v)
    existing = set(
        Project.objects.filter(county=county, code__contains=f"-{year}-D").values_list("code", flat=True)
    )
    showcase_projects: list[Project] = []
    for i, (name, category) in enumerate(_names(rng), 1):
        spec = _draw_spec(rng, i, category, places, villages, ctx, today)
        code = f"{county.code}-{year}-D{i:02d}"
        if code in existing:
            continue
        project = _project(ctx, people, code, name, category, spec, year)
        _milestones(rng, people, project, today, spec["troubled"])
        _investment(rng, people, project, today, spec)
        if project.level == Level.CITY_SHOWCASE:
            showcase_projects.append(project)
            _stewards(rng, people, ctx, project, i)
            _visits(rng, people, ctx, project, today, i)
            _reports(rng, people, project, today, spec)
        _problems(rng, people, ctx, project, today, i)
    _tour(rng, people, ctx, county, year, showcase_projects)
    _land(rng, people, ctx, county, year)
    _programme(people, ctx, county, year)


def _draw_spec(rng, i, category, places, villages, ctx, today) -> dict:
    """Every draw for one project, made whether it exists or not (fixed order)."""
    place = places[rng.randrange(len(places))]
    village_pool = villages.get(place.region_id, [])
    showcase = i <= SHOWCASE
    lead = (
        REPORTING_UNITS[i % len(REPORTING_UNITS)] if showcase or i % 3 else OTHER_LEADS[i % len(OTHER_LEADS)]
    )
    start = datetime.date(today.year, 1, 1) + datetime.timedelta(days=rng.randrange(-120, 150))
    total = Decimal(rng.choice([8000, 12000, 20000, 35000, 50000, 80000, 120000]))
    return {
        "place": place,
        "village": village_pool[rng.randrange(len(village_pool))]
        if village_pool and rng.random() < 0.7
        else None,
        "lead": ctx.units[lead],
        "lead_slug": lead,
        "leader": ctx.leaders[3 + rng.randrange(5)],
        "start": start,
        "end": start + datetime.timedelta(days=rng.randrange(400, 800)),
        "total": total,
        "plan_share": Decimal(rng.choice([30, 40, 50, 60])) / 100,
        # Investment pace against the time elapsed: most on track, some behind, a few far behind.
        "pace": rng.choice(
            [Decimal(v) for v in ("1.05", "1.1", "1.03", "1.02", "1.04", "1.08", "0.97", "0.85", "0.6")]
        ),
        "troubled": rng.random() < 0.15,
        "showcase": showcase,
        "weekly": showcase and i % 7 == 0,
    }


def _project(ctx, people, code, name, category, spec, year) -> Project:
    start = spec["start"]
    status = ProjectStatus.UNDER_CONSTRUCTION if start <= timezone.localdate() else ProjectStatus.PLANNED
    return services.create_project(
        actor=people.office,
        code=code,
        name=name,
        category=category,
        level=Level.CITY_SHOWCASE
        if spec["showcase"]
        else (Level.COUNTY_KEY if int(code[-2:]) % 4 else Level.ORDINARY),
        status=status,
        lead_unit=spec["lead"],
        location_unit=spec["place"],
        village=spec["village"],
        leader_in_charge=spec["leader"],
        investor=f"禾川{name[:2]}建设发展有限公司",
        total_investment=spec["total"],
        plan_year=year,
        year_plan_investment=(spec["total"] * spec["plan_share"]).quantize(Decimal("1")),
        planned_start=start,
        planned_completion=spec["end"],
        description=f"{name}：总投资{spec['total']}万元，分期建设。",
        report_frequency="weekly" if spec["weekly"] else "monthly",
    )


def _milestones(rng, people, project, today, troubled: bool) -> None:
    """Reached on time or late, overdue, moved (approved, refused, pending) and still ahead."""
    milestones = list(project.milestones.order_by("sequence"))
    services.confirm_project(project, actor=people.office)
    past = [m for m in milestones if m.planned_date < today]
    for m in milestones:
        if m.planned_date >= today:
            continue
        # A troubled project leaves its latest past milestone open (overdue: red).
        if not (troubled and m is past[-1]):
            late = rng.choice([0, 0, 0, 5, 12])
            actual = min(m.planned_date + datetime.timedelta(days=late), today)
            services.reach_milestone(
                m, actor=people.office, actual_date=actual, evidence_note="批复文件已归档"
            )
    ahead = [m for m in milestones if m.planned_date > today + datetime.timedelta(days=20)]
    if ahead and rng.random() < 0.5:
        m = ahead[0]
        new = min(
            m.planned_date + datetime.timedelta(days=rng.choice([15, 30, 45])), project.planned_completion
        )
        if new != m.planned_date:
            move = services.request_move(m, actor=people.office, new_date=new, reason="设备供货周期延长")
            outcome = rng.random()
            if outcome < 0.5:
                services.approve_move(move, actor=people.office, note="同意，后续不得再延")
            elif outcome < 0.75:
                services.refuse_move(move, actor=people.office, note="理由不充分，按原计划推进")


def _investment(rng, people, project, today, spec) -> None:
    """Cumulative completed investment at mid-year (the time-progress check) and last month."""
    plan = project.year_plan_investment
    last = today.month - 1
    months = sorted({m for m in (6, last) if 1 <= m <= last})
    elapsed = Decimal((today - datetime.date(today.year, 1, 1)).days) / 365
    for month in months:
        # The latest figure is measured against the time elapsed today (the light's own yardstick).
        share = spec["pace"] * (Decimal(month) / 12 if month != last else elapsed)
        value = (plan * min(share, Decimal("1.2"))).quantize(Decimal("0.01"))
        services.report_investment(
            project, actor=people.office, year=project.plan_year, month=month, cumulative=value
        )


def _stewards(rng, people, ctx, project, i) -> None:
    slug = REPORTING_UNITS[(i + 3) % len(REPORTING_UNITS)]
    cadre = people.of(slug, "liaison" if i % 2 else "head")
    start = max(project.planned_start, datetime.date(project.plan_year, 1, 1))
    services.assign_steward(project, actor=people.office, user=cadre, start_date=start, full_time=i % 3 == 0)
    services.assign_steward(project, actor=people.office, unit=project.location_unit, start_date=start)


def _visits(rng, people, ctx, project, today, i) -> None:
    stewards = [s.user for s in project.stewardships.filter(user__isnull=False)]
    for n in range(1 + rng.randrange(2)):
        day = today - datetime.timedelta(days=7 + rng.randrange(200))
        day = max(day, project.planned_start - datetime.timedelta(days=30))
        leader = project.leader_in_charge if n == 0 else None
        problem_kind, text = PROBLEMS[rng.randrange(len(PROBLEMS))]
        visit = record_site_visit(
            project,
            actor=people.office,
            date=day,
            leader=leader,
            visitors=[*stewards, people.office],
            notes=rng.choice(
                [
                    "主体施工有序推进，现场管理规范。",
                    "设备基础施工中，材料进场正常。",
                    "现场人员较少，进度偏慢。",
                ]
            ),
            decisions=[f"协调解决{text}"],
        )
        if n == 0:
            attachments.add_attachments(
                visit, [photo(day, i * 10 + n, rng)], actor=people.office, kind="photo"
            )
        if rng.random() < 0.4:
            unit = ctx.units[PROBLEM_UNITS[rng.randrange(len(PROBLEM_UNITS))]]
            convert_decision(
                visit.decisions.get(), actor=people.office, kind=problem_kind, units=[unit], working_days=10
            )


def _reports(rng, people, project, today, spec) -> None:
    """Monthly (or weekly) reports of the last periods: most approved on time, some late or returned,
    one corrected; the latest period is missing for some projects (late, chased)."""
    liaison, head = people.of(spec["lead_slug"], "liaison"), people.of(spec["lead_slug"], "head")
    frequency = project.report_frequency
    periods = []
    start, _end = period_of(today, frequency)
    for _ in range(4):
        start, end = period_of(start - datetime.timedelta(days=1), frequency)
        if end >= project.planned_start:
            periods.append((start, end))
    skip_latest = rng.random() < 0.25
    for n, (start, end) in enumerate(sorted(periods)):
        if skip_latest and n == len(periods) - 1 and due_date(end) < today:
            continue
        progress = min(100, 10 + n * 12 + rng.randrange(10))
        report = report_services.submit_report(
            project,
            actor=liaison,
            day=start,
            progress=f"完成{'本周' if frequency == 'weekly' else '本月'}计划，累计形象进度{progress}%。",
            investment=(project.year_plan_investment * spec["pace"] / 12).quantize(Decimal("0.01")),
            image_progress=progress,
            problems="",
        )
        late = rng.random() < 0.15
        submitted = timezone.make_aware(datetime.datetime.combine(due_date(end), datetime.time(9)))
        if late:
            submitted += datetime.timedelta(days=3)
        ProgressReport.objects.filter(pk=report.pk).update(
            submitted_at=min(submitted, timezone.now()), late=late
        )
        if n == len(periods) - 1 and rng.random() < 0.3:
            continue  # the latest one waits for the head
        if rng.random() < 0.1:
            report_services.return_report(report, actor=head, note="投资数据与月报不一致，请核实")
            continue
        report_services.approve_report(report, actor=head)
        if n == 0 and rng.random() < 0.2:
            report_services.correct_report(
                report,
                actor=liaison,
                reason="统计口径调整",
                progress=report.progress,
                investment=report.investment * Decimal("0.9"),
                image_progress=report.image_progress,
            )


def _problems(rng, people, ctx, project, today, i) -> None:
    """Every project with a few problems: raised, assigned, answered, closed out or overdue."""
    for _n in range(rng.randrange(3)):
        kind, title = PROBLEMS[rng.randrange(len(PROBLEMS))]
        unit = ctx.units[PROBLEM_UNITS[rng.randrange(len(PROBLEM_UNITS))]]
        problem = services.raise_problem(
            project,
            actor=people.office,
            kind=kind,
            title=title,
            units=[unit],
            working_days=rng.choice([5, 10, 15]),
        )
        fate = rng.random()
        if fate < 0.3:
            # Meant to be overdue: its deadline set back (see the module docstring).
            Problem.objects.filter(pk=problem.pk).update(
                due_date=today - datetime.timedelta(days=3 + rng.randrange(20))
            )
        elif fate < 0.6:
            answerer = _unit_person(unit)
            if answerer is None:
                continue
            services.answer_problem(problem, actor=answerer, answer="已协调办理完毕")
            if rng.random() < 0.7:
                services.close_out_problem(problem, actor=people.office, note="经现场核实已解决")


def _unit_person(unit) -> User | None:
    from duban.accounts.choices import UNIT_SCOPED_ROLES

    return (
        User.objects.filter(
            grants__unit=unit, grants__role__in=UNIT_SCOPED_ROLES, grants__revoked_at__isnull=True
        )
        .order_by("username")
        .first()
    )


def _tour(rng, people, ctx, county, year, projects) -> None:
    """The city's tour on the second Friday of December, assessed and rehearsed."""
    name = f"{year}年全市重点项目观摩"
    if Showcase.objects.filter(county=county, name=name).exists():
        return
    tour = services.create_showcase(
        actor=people.office, county=county, name=name, date=second_friday_of_december(year)
    )
    criteria = [
        services.add_criterion(tour, actor=people.office, name=n, weight=Decimal(w), requirement=r)
        for n, w, r in CRITERIA
    ]
    inspectors = [people.by_name[f"inspector{k}"] for k in (1, 2, 3)]
    for n, project in enumerate(projects):
        quality = rng.random()
        for criterion in criteria:
            roll = rng.random()
            result = "met" if roll < quality + 0.2 else ("partly" if roll < quality + 0.5 else "not_met")
            services.assess_readiness(
                criterion, project, actor=people.office, result=result, evidence="现场查看"
            )
        what = rng.choice(
            ["二期厂房主体未封顶", "设备未安装到位", "外立面及场地硬化未完成", "投产手续未办结"]
        )
        convert = rng.random() < 0.5
        due = max(timezone.localdate(), tour.date - datetime.timedelta(days=7))
        if quality < 0.5 and due <= tour.date:  # no gaps are listed once the tour is over
            unit = ctx.units[PROBLEM_UNITS[n % len(PROBLEM_UNITS)]]
            gap = services.add_gap(
                tour, project, actor=people.office, what=what, owner_unit=unit, due_date=due
            )
            if convert:
                services.convert_gap(gap, actor=people.office)
        for inspector in inspectors:
            base = 70 + quality * 25
            score = Decimal(str(round(base + rng.uniform(-5, 5), 1)))
            services.score_rehearsal(tour, project, actor=inspector, score=min(score, Decimal(100)))


LAND_QUOTAS = [("new_construction", 1200), ("linkage", 500), ("balance", 800)]


def _land(rng, people, ctx, county, year) -> None:
    """The year's quotas, partly allocated, with requests proposed and waiting."""
    from .models import LandQuota
    from .services import land as land_services

    if LandQuota.objects.filter(county=county, year=year).exists():
        return
    quotas = [
        land_services.set_quota(
            actor=people.office,
            county=county,
            year=year,
            kind=kind,
            total_mu=Decimal(total),
            land_unit=ctx.units["zrj"],
        )
        for kind, total in LAND_QUOTAS
    ]
    projects = list(Project.objects.filter(county=county, code__contains=f"-{year}-D").order_by("code")[:12])
    leader = ctx.leaders[2]
    by_quota: dict[int, list] = {}
    for n, project in enumerate(projects):
        quota = quotas[n % len(quotas)]
        slug = _slug_of(ctx, project)
        liaison = people.by_name.get(f"{ACCOUNT_PREFIX.get(slug, slug)}_liaison")
        request = land_services.request_land(
            project,
            actor=liaison or people.office,
            quota=quota,
            area_mu=Decimal(rng.choice([30, 45, 60, 80, 120, 150])),
            stage=rng.choice(["site_selection", "pre_review", "conversion", "supply"]),
            urgency=rng.choice(["high", "medium", "low"]),
            reason="项目建设用地",
        )
        by_quota.setdefault(quota.pk, []).append((quota, request))
    for rows in by_quota.values():
        # The land department orders three of each kind; the leader approves the first two.
        ordered = land_services.propose_allocation(
            rows[0][0], actor=people.office, order=[r for _q, r in rows[:3]]
        )
        for request in ordered[:2]:
            land_services.approve_land_request(request, actor=leader, note="同意安排")


def _slug_of(ctx, project) -> str:
    return next((slug for slug, unit in ctx.units.items() if unit.pk == project.lead_unit_id), "")


def _programme(people, ctx, county, year) -> None:
    """城东新区 planned and built under the housing and urban-construction bureau as headquarters."""
    from .models import Programme
    from .services.programmes import add_project_to_programme, create_programme, reach_plan_milestone

    if Programme.objects.filter(county=county, name="城东新区规划建设").exists():
        return
    programme = create_programme(
        actor=people.office,
        county=county,
        name="城东新区规划建设",
        headquarters=ctx.units["zjj"],
        members=[ctx.units[s] for s in ("fgj", "zrj", "jtj", "cgj", "dongcheng")],
        leader=ctx.leaders[2],
        plan_start=datetime.date(year, 1, 1),
        plan_end=datetime.date(year, 12, 31),
        description="新区控制性详细规划编制及路网、学校、公园等首批项目建设。",
    )
    today = timezone.localdate()
    for step in programme.plan_milestones.order_by("sequence")[:2]:
        if step.planned_date < today:
            reach_plan_milestone(step, actor=people.office, actual_date=step.planned_date)
    wanted = ("城东新区路网", "滨河公园", "第二实验中学", "保障性租赁住房")
    for project in Project.objects.filter(county=county, name__in=wanted, code__contains=f"-{year}-D"):
        add_project_to_programme(project, programme, actor=people.office)
