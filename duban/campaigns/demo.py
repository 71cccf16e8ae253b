"""Demo data for campaigns (registered with duban.org.demo's builder registry).

The two drives of 禾川县: 农村人居环境综合整治 (score sheet, four inspection rounds over two villages
of every town, scores with photos, rectification orders open, answered, returned and closed,
reward/penalty rules with one published list and one draft, quantity works) and 村内通道路硬化
(kilometres of road planned and reported per village). Written through the services by office1,
the inspectors and the towns' liaisons (so audited); drawn from the seeded rng in a fixed order;
skipped when the campaign exists (by name in the county), so a second run adds nothing.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from duban.accounts.models import User
from duban.attachments.services import add_attachment

from . import services
from .choices import CampaignKind, GroupRole, RollUp, RoundKind, SiteKind
from .models import Campaign, CampaignVillage, InspectionRound

ENVIRONMENT = "农村人居环境综合整治"
ROADS = "村内通道路硬化"
YEAR = 2026
SHEET: list[dict[str, Any]] = [
    {"category": "环境卫生", "name": "垃圾乱堆乱放", "max_points": "25", "per_occurrence": "1", "cap": "8"},
    {"category": "环境卫生", "name": "污水横流", "max_points": "20", "per_occurrence": "2", "cap": "8"},
    {
        "category": "村容村貌",
        "name": "残垣断壁未清理",
        "max_points": "20",
        "per_occurrence": "2",
        "cap": "10",
    },
    {"category": "村容村貌", "name": "柴草乱堆乱放", "max_points": "15", "per_occurrence": "1", "cap": "6"},
    {
        "category": "长效管护",
        "name": "保洁制度未落实",
        "max_points": "20",
        "per_occurrence": "5",
        "cap": "10",
    },
    {"category": "否决项", "name": "发生露天焚烧垃圾", "max_points": "0", "is_veto": True},
]
ROUNDS = [
    ("第一轮定期检查", RoundKind.SCHEDULED, datetime.date(YEAR, 4, 13)),
    ("第二轮暗访", RoundKind.UNANNOUNCED, datetime.date(YEAR, 6, 15)),
    ("第三轮交叉互查", RoundKind.CROSS_CHECK, datetime.date(YEAR, 8, 17)),
    ("第四轮市级检查", RoundKind.CITY_CHECK, datetime.date(YEAR, 10, 19)),
]


def _jpeg(rng, name: str) -> SimpleUploadedFile:
    """A tiny photo (solid colour drawn from the rng) carrying no EXIF."""
    colour = (rng.randrange(90, 200), rng.randrange(90, 200), rng.randrange(60, 140))
    out = io.BytesIO()
    Image.new("RGB", (32, 24), colour).save(out, "JPEG", quality=70)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def build_campaigns_demo(ctx) -> None:
    if Campaign.objects.filter(county=ctx.county, name=ENVIRONMENT).exists():
        return
    people = {u.username: u for u in User.objects.filter(username__in=_USERNAMES)}
    office = people["office1"]
    households = {}
    towns = sorted(ctx.towns.items())
    for _slug, town in towns:
        for village in town.children.order_by("code"):
            households[village.pk] = ctx.rng.randrange(80, 620)
    environment = _campaign(ctx, office, people, ENVIRONMENT, CampaignKind.ENVIRONMENT, households, towns)
    _quantities(
        ctx,
        office,
        people,
        environment,
        [
            ("村庄清洁", "villages_cleaned", "个", (1, 1)),
            ("户厕改造", "toilets", "户", (20, 90)),
            ("垃圾点清除", "rubbish_points", "处", (3, 15)),
        ],
    )
    _rounds(ctx, office, people, environment)
    roads = _campaign(ctx, office, people, ROADS, CampaignKind.ROADS, households, towns)
    _quantities(ctx, office, people, roads, [("村内道路硬化", "road_km", "公里", (5, 30))], tenths=True)


_USERNAMES = [
    "office1",
    "leader_shuji",
    "leader_fu1",
    "inspector1",
    "inspector2",
    "inspector3",
    "town_chengguan_liaison",
    "town_dongcheng_liaison",
]


def _campaign(ctx, office, people, name, kind, households, towns) -> Campaign:
    campaign = services.create_campaign(
        actor=office,
        county=ctx.county,
        name=name,
        kind=kind,
        start_date=datetime.date(YEAR, 3, 1),
        end_date=datetime.date(YEAR, 12, 31),
        lead_unit=ctx.units["nyj"],
        goals="村庄环境干净整洁有序，长效管护机制健全"
        if kind == CampaignKind.ENVIRONMENT
        else "自然村内主要道路全部硬化",
        roll_up=RollUp.WEIGHTED if kind == CampaignKind.ENVIRONMENT else RollUp.AVERAGE,
    )
    for username, role in (
        ("leader_shuji", GroupRole.LEADER),
        ("leader_fu1", GroupRole.DEPUTY),
        ("office1", GroupRole.OFFICE_HEAD),
    ):
        services.add_group_member(campaign, actor=office, user=people[username], role=role)
    for slug, town in towns:
        services.add_town(campaign, actor=office, town=town, unit=ctx.units[slug], households=households)
    for node, day in (
        ("完成摸底排查", datetime.date(YEAR, 3, 31)),
        ("集中整治", datetime.date(YEAR, 9, 30)),
        ("验收总结", datetime.date(YEAR, 12, 20)),
    ):
        services.add_time_node(campaign, actor=office, name=node, due_date=day)
    services.launch_campaign(campaign, actor=office)
    return campaign


def _quantities(ctx, office, people, campaign, items, tenths: bool = False) -> None:
    villages = list(campaign.villages.select_related("town__unit").order_by("pk"))
    for name, measure, unit_label, (low, high) in items:
        item = services.add_work_item(
            campaign, actor=office, name=name, measure=measure, unit_label=unit_label
        )
        plans = {}
        for v in villages:
            amount = Decimal(ctx.rng.randint(low, high))
            plans[v] = amount / 10 if tenths else amount
        services.set_plans(item, actor=office, plans=plans)
        for period in (datetime.date(YEAR, 6, 30), datetime.date(YEAR, 9, 30)):
            for v in villages:
                share = Decimal(ctx.rng.randint(10, 55)) / 100
                services.report_quantity(
                    item,
                    v,
                    actor=office,
                    period_end=period,
                    quantity=(plans[v] * share).quantize(Decimal("0.01")),
                    confirm_over_plan=True,
                )


def _rounds(ctx, office, people, campaign) -> None:
    sheet = services.create_score_sheet(
        campaign, actor=office, name="农村人居环境整治检查评分标准", items=SHEET
    )
    for trigger, kind, text, amount, extra in (
        ("top_places", "commend", "通报表扬，奖励整治资金", 50000, {"rank_from": 1, "rank_to": 3}),
        ("last_place", "criticise", "通报批评，约谈镇街主要负责人", 0, {}),
        ("two_reds", "penalty", "连续两轮低于80分，扣减以奖代补资金", 20000, {"red_below": "80"}),
    ):
        services.add_sanction_rule(
            campaign, actor=office, trigger=trigger, kind=kind, text=text, amount=amount, **extra
        )
    inspectors = [people["inspector1"], people["inspector2"], people["inspector3"]]
    items = list(sheet.items.all())
    by_town: dict[int, list[CampaignVillage]] = {}
    for v in campaign.villages.select_related("village", "town__town").order_by("pk"):
        by_town.setdefault(v.town_id, []).append(v)
    for index, (name, kind, start) in enumerate(ROUNDS):
        sites = [
            (v, SiteKind.VILLAGE, "") for vs in by_town.values() for v in ctx.rng.sample(vs, min(2, len(vs)))
        ]
        round_ = services.create_round(
            campaign,
            actor=office,
            sheet=sheet,
            name=name,
            kind=kind,
            start_date=start,
            end_date=start + datetime.timedelta(days=4),
            inspectors=inspectors,
            sites=sites,
        )
        _score_round(ctx, round_, items, inspectors, weak=index)
        if index >= 2:
            _rectify(ctx, round_, people, settle=index == 2)
        if index == 2:
            sanction_list = services.propose_sanctions(round_, actor=office)
            services.approve_sanctions(sanction_list, actor=people["leader_shuji"])
            services.publish_sanctions(sanction_list, actor=office)
        elif index == 3:
            services.propose_sanctions(round_, actor=office)


def _score_round(ctx, round_: InspectionRound, items, inspectors, weak: int) -> None:
    for n, site in enumerate(round_.sites.select_related("village__town__town").order_by("pk")):
        inspector = inspectors[n % len(inspectors)]
        found = []
        for item in items:
            if item.is_veto:
                count = 1 if ctx.rng.random() < 0.01 else 0
            else:
                count = ctx.rng.choice([0, 0, 0, 1, 1, 2, 3, 4]) + (
                    1 if site.village.town_id % 4 == weak % 4 else 0
                )
            if count:
                found.append({"item": item, "count": count, "note": f"{item.name}{count}处"})
        score = services.score_site(round_, site, actor=inspector, deductions=found, note="现场检查")
        first = score.deductions.order_by("-points", "pk").first()
        if first is not None:
            add_attachment(
                first, _jpeg(ctx.rng, f"{site}-{first.item.name}.jpg"), actor=inspector, kind="photo"
            )
        services.submit_score(score, actor=inspector)


def _rectify(ctx, round_: InspectionRound, people, settle: bool) -> None:
    """Orders for each site's largest deduction; in the settled round the towns with accounts
    answered, and the inspector closed most and returned one."""
    liaisons = {
        "chengguan": people["town_chengguan_liaison"],
        "dongcheng": people["town_dongcheng_liaison"],
    }
    slug_of = {unit.pk: slug for slug, unit in ctx.units.items()}
    returned = False
    for site in round_.sites.select_related("score__inspector", "village__town__unit").order_by("pk"):
        score = site.score
        top = score.deductions.order_by("-points", "pk").first()
        if top is None:
            continue
        order = services.issue_rectification(
            top,
            actor=score.inspector,
            requirement=f"限期整改：{top.item.name}",
            working_days=ctx.rng.choice([5, 7, 10]),
            today=round_.end_date,
        )
        liaison = liaisons.get(slug_of.get(site.village.town.unit_id, ""))
        if not settle or liaison is None:
            continue
        add_attachment(order, _jpeg(ctx.rng, f"整改后-{site}.jpg"), actor=liaison, kind="photo")
        services.answer_rectification(order, actor=liaison, answer="已按要求整改到位")
        if not returned:
            services.return_rectification(order, actor=score.inspector, verdict="仍有少量垃圾未清运")
            returned = True
        else:
            services.close_rectification(order, actor=score.inspector, verdict="现场核实已整改")
