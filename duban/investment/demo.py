"""Demo data for investment attraction (registered with duban.org.demo's builder registry).

Pairings for every department of the demo county, 160 leads across the stages with follow-up
history, a few duplicate claims between departments, three departments with no lead at all,
targets for every department and town, and several leads due to sign before 年前. Everything is
written by the office account `office1` through the services (so audited), drawn from the
seeded rng in a fixed order, and skipped when it exists (pairings by their key, leads by the
project name), so a second run adds nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from duban.accounts.models import User
from duban.org.choices import UnitKind

from . import moves, services
from .choices import PIPELINE, RANK, FollowUpKind, Industry, SourceType, Stage
from .models import InvestmentTarget, Lead, Pairing
from .queries import spring_deadline

LEADS = 160
IDLE_DEPARTMENTS = 3  # the last departments get no lead: the pipeline page names them
PLACES = [
    "苏州",
    "无锡",
    "宁波",
    "温州",
    "青岛",
    "深圳",
    "东莞",
    "佛山",
    "合肥",
    "武汉",
    "成都",
    "郑州",
    "厦门",
    "泉州",
    "长沙",
    "常州",
]
BRANDS = ["华科", "鼎盛", "瑞丰", "恒达", "新锐", "金桥", "远航", "晨光", "聚能", "天誉", "博源", "众诚"]
SECTORS: dict[str, tuple[str, str]] = {
    Industry.MANUFACTURING: ("精密机械", "年产{n}万套精密零部件项目"),
    Industry.NEW_ENERGY: ("新能源科技", "{n}MW分布式光伏项目"),
    Industry.NEW_MATERIALS: ("新材料", "年产{n}万吨改性塑料项目"),
    Industry.BIOMEDICINE: ("生物医药", "年产{n}亿片固体制剂项目"),
    Industry.AGRICULTURE: ("食品", "年加工{n}万吨农产品项目"),
    Industry.ELECTRONICS: ("电子", "年产{n}万片线路板项目"),
    Industry.LOGISTICS: ("供应链管理", "{n}万平方米冷链物流园项目"),
    Industry.TOURISM: ("文旅发展", "{n}亩田园综合体项目"),
}
# How far the leads got: weights over the pipeline plus shelved and lost.
STAGE_WEIGHTS = [
    (Stage.INFORMATION, 22),
    (Stage.CONTACTED, 30),
    (Stage.VISITED, 22),
    (Stage.NEGOTIATING, 28),
    (Stage.SIGNED, 22),
    (Stage.LANDED, 12),
    (Stage.STARTED, 9),
    (Stage.PRODUCING, 5),
    (Stage.SHELVED, 6),
    (Stage.LOST, 4),
]
FORWARD: dict[str, str] = {
    Stage.CONTACTED: "contact",
    Stage.VISITED: "visit",
    Stage.NEGOTIATING: "negotiate",
    Stage.SIGNED: "sign",
    Stage.LANDED: "land",
    Stage.STARTED: "start",
    Stage.PRODUCING: "produce",
}
NOTES = [
    "电话沟通项目用地和厂房需求",
    "陪同投资方实地考察园区标准厂房",
    "与投资方就土地价格和税收政策进行洽谈",
    "投资方董事会研究项目可行性",
    "对接供电、供水、天然气配套",
    "协调环评、能评前期手续",
]


def build_investment_demo(ctx) -> None:
    office = User.objects.get(username="office1")
    today = timezone.localdate()
    departments = sorted(
        (u for slug, u in ctx.units.items() if u.kind == UnitKind.DEPARTMENT and slug != "dcs"),
        key=lambda u: (u.sort_order, u.code),
    )
    partners = sorted(
        (u for u in ctx.units.values() if u.kind in (UnitKind.TOWN, UnitKind.PARK)), key=lambda u: u.code
    )
    _pairings(departments, partners, office, today.year)
    pairs = {
        p.department_id: p.partner
        for p in Pairing.objects.filter(year=today.year, department__in=departments)
    }
    _targets(ctx, departments, partners, office, today.year)
    if Lead.objects.filter(county=ctx.county).exists():
        return  # leads are only ever built once: a second run leaves them as they are
    sources = departments[:-IDLE_DEPARTMENTS]
    for i in range(LEADS):
        source = sources[i % len(sources)] if i % 9 else partners[i % len(partners)]
        location = pairs.get(source.pk) or source if source.kind != UnitKind.DEPARTMENT else pairs[source.pk]
        _lead(ctx, i, source, location, office, today)
    _duplicates(ctx, sources, pairs, office, today)


def _pairings(departments, partners, office, year) -> None:
    existing = set(Pairing.objects.filter(year=year).values_list("department_id", "partner_id"))
    for i, dept in enumerate(departments):
        partner = partners[i % len(partners)]
        if (dept.pk, partner.pk) not in existing:
            services.create_pairing(
                actor=office,
                year=year,
                department=dept,
                partner=partner,
                leader_in_charge=dept.leader_in_charge,
            )


def _targets(ctx, departments, partners, office, year) -> None:
    done = set(InvestmentTarget.objects.filter(year=year).values_list("unit_id", "basis"))
    for unit in departments:
        figures = {
            "leads": ctx.rng.randint(3, 8),
            "signed_projects": ctx.rng.randint(1, 3),
            "signed_amount": Decimal(ctx.rng.randint(10, 60) * 1000),
            "landed_projects": ctx.rng.randint(0, 2),
            "funds_in_place": Decimal(ctx.rng.randint(5, 30) * 1000),
        }
        if (unit.pk, "source") not in done:
            services.set_target(actor=office, unit=unit, year=year, **figures)
    for unit in partners:
        figures = {
            "leads": ctx.rng.randint(8, 20),
            "signed_projects": ctx.rng.randint(3, 8),
            "signed_amount": Decimal(ctx.rng.randint(80, 200) * 1000),
            "landed_projects": ctx.rng.randint(1, 4),
            "funds_in_place": Decimal(ctx.rng.randint(30, 90) * 1000),
        }
        if (unit.pk, "location") not in done:
            services.set_target(actor=office, unit=unit, year=year, basis="location", **figures)


def _company(i: int, industry: str) -> str:
    place = PLACES[i % len(PLACES)]
    brand = BRANDS[(i // len(PLACES)) % len(BRANDS)]
    return f"{place}{brand}{SECTORS[industry][0]}有限公司"


def _lead(ctx, i: int, source, location, office, today: datetime.date) -> Lead:
    rng = ctx.rng
    industry = list(SECTORS)[i % len(SECTORS)]
    stage = rng.choices([s for s, _w in STAGE_WEIGHTS], weights=[w for _s, w in STAGE_WEIGHTS])[0]
    steps = RANK.get(stage, RANK[Stage.NEGOTIATING]) if stage in PIPELINE else rng.randint(1, 3)
    registered = today - datetime.timedelta(days=rng.randint(12 + 9 * steps, 320))
    planned = Decimal(rng.choice([3000, 5000, 8000, 12000, 20000, 30000, 50000]))
    spring = stage in (Stage.VISITED, Stage.NEGOTIATING) and i % 4 == 0
    lead = services.create_lead(
        actor=office,
        source_unit=source,
        intended_location=location,
        registered_on=registered,
        company_name=_company(i, industry),
        origin=f"{PLACES[i % len(PLACES)]}市",
        industry=industry,
        contact_person=ctx.person_name() + rng.choice(["总经理", "董事长", "副总"]),
        contact_phone=ctx.phone(),
        project_name=SECTORS[industry][1].format(n=rng.randint(2, 90)) + f"（{i + 1:03d}）",
        content="新建生产厂房、研发楼及配套设施",
        planned_investment=planned,
        external_investment=planned * Decimal(rng.choice([0, 30, 60, 100])) / 100,
        is_expansion=i % 17 == 5,
        added_investment=planned / 2 if i % 17 == 5 else None,
        source_type=rng.choice(SourceType.values),
        introducer=ctx.person_name() if rng.random() < 0.3 else "",
        expected_sign_on=spring_deadline(today) - datetime.timedelta(days=rng.randint(0, 20))
        if spring
        else None,
        negotiation_notes=rng.choice(NOTES),
    )
    when = registered
    for target in PIPELINE[1 : steps + 1]:
        when = min(today, when + datetime.timedelta(days=rng.randint(3, 9)))
        _forward(lead, target, office, when, planned)
        if rng.random() < 0.7:
            services.add_follow_up(
                lead,
                actor=office,
                date=when,
                kind=rng.choice(FollowUpKind.values),
                notes=rng.choice(NOTES),
                next_step="继续对接",
            )
    if stage in PIPELINE[:-1] and rng.random() < 0.65:
        recent = max(when, today - datetime.timedelta(days=rng.randint(0, 12)))
        services.add_follow_up(
            lead,
            actor=office,
            date=recent,
            kind=FollowUpKind.CALL,
            notes=rng.choice(NOTES),
            next_step="按约定推进",
            next_contact_on=recent + datetime.timedelta(days=7),
        )
    if RANK.get(stage, 0) >= RANK[Stage.LANDED]:
        services.update_lead(
            lead, actor=office, funds_in_place=planned * Decimal(rng.choice([20, 40, 60])) / 100
        )
    if stage in (Stage.SHELVED, Stage.LOST):
        action = moves.shelve_lead if stage == Stage.SHELVED else moves.lose_lead
        action(
            lead,
            actor=office,
            date=min(today, when + datetime.timedelta(days=5)),
            reason=rng.choice(["投资方资金链紧张", "选址转至外省", "产业政策调整"]),
        )
    return lead


def _forward(lead: Lead, target: str, office, when: datetime.date, planned: Decimal) -> None:
    action = FORWARD[target]
    if action == "sign":
        contract = {
            "contract_date": when,
            "contract_amount": planned,
            "contract_parties": "县人民政府、投资方",
        }
        moves.sign_lead(lead, actor=office, date=when, contract=contract)
    elif action in ("land", "start", "produce"):
        moves.MOVE_SERVICES[action](
            lead, actor=office, date=when, evidence_note="营业执照、施工许可等材料已核验"
        )
    else:
        moves.MOVE_SERVICES[action](lead, actor=office, date=when)


def _duplicates(ctx, sources, pairs, office, today) -> None:
    """Four investors claimed again by another department, with the usual variations of the name."""
    variants = [
        lambda n: n.replace("有限公司", "有限责任公司"),
        lambda n: n.replace("有限公司", "有限公司" + "县城分公司"),
        lambda n: n[:2] + "（" + n[2:4] + "）" + n[4:],
        lambda n: n.replace("有限公司", "有限责任公司"),
    ]
    originals = list(Lead.objects.filter(county=ctx.county).order_by("pk")[:40:10])
    for k, (original, variant) in enumerate(zip(originals, variants, strict=False)):
        other = (
            sources[(sources.index(original.source_unit) + 1 + k) % len(sources)]
            if original.source_unit in sources
            else sources[k]
        )
        services.create_lead(
            actor=office,
            source_unit=other,
            intended_location=pairs[other.pk],
            registered_on=today - datetime.timedelta(days=20 + k),
            company_name=variant(original.company_name),
            industry=original.industry,
            contact_person=original.contact_person,
            contact_phone=original.contact_phone,
            project_name=original.project_name.split("（")[0] + "（同一投资方）" + str(k + 1),
            planned_investment=original.planned_investment,
            source_type=SourceType.CAMPAIGN,
        )
