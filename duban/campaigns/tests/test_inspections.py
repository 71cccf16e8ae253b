"""Campaigns, sheets, rounds and site scores through the services: rules, refusals, audit, access."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.campaigns import queries, services
from duban.campaigns.choices import RollUp, ScoreStatus
from duban.campaigns.factories import County, make_campaign, make_round, make_sheet, score_and_submit
from duban.campaigns.models import Campaign, Deduction, InspectionRound, RoundSite, SiteScore

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    return County()


def site_of(round_, town_index: int, county, n: int = 0):
    return round_.sites.filter(village__town__town=county.towns[town_index]).order_by("id")[n]


def test_a_campaign_is_created_by_the_office_with_its_towns_and_audited(county):
    campaign = make_campaign(county)
    assert campaign.towns.count() == 3 and campaign.villages.count() == 6
    entry = AuditEntry.objects.get(event=AuditEvent.CAMPAIGN_CREATED, target_id=str(campaign.pk))
    assert entry.changes["name"][1] == campaign.name
    with pytest.raises(PermissionDenied):
        services.create_campaign(
            actor=county.inspector,
            county=county.region,
            name="x",
            kind="roads",
            start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2026, 2, 1),
            lead_unit=county.dept,
        )


def test_time_nodes_lock_at_launch_and_then_move_only_by_a_leader_with_a_reason(county):
    campaign = make_campaign(county)
    node = services.add_time_node(
        campaign, actor=county.office, name="完成摸底", due_date=datetime.date(2026, 4, 30)
    )
    services.launch_campaign(campaign, actor=county.office)
    node.refresh_from_db()
    assert node.locked
    with pytest.raises(PermissionDenied, match="已锁定"):
        services.move_time_node(node, actor=county.office, due_date=datetime.date(2026, 5, 10), reason="x")
    with pytest.raises(ValidationError, match="说明理由"):
        services.move_time_node(node, actor=county.leader, due_date=datetime.date(2026, 5, 10))
    services.move_time_node(node, actor=county.leader, due_date=datetime.date(2026, 5, 10), reason="汛期顺延")
    entry = AuditEntry.objects.get(event=AuditEvent.CAMPAIGN_NODE_MOVED)
    assert entry.changes == {"due_date": ["2026-04-30", "2026-05-10"]} and entry.reason == "汛期顺延"
    late = services.add_time_node(
        campaign, actor=county.office, name="验收", due_date=datetime.date(2026, 11, 30)
    )
    assert late.locked


def test_score_sheets_are_versioned_and_a_round_keeps_its_version(county):
    campaign = make_campaign(county)
    first = make_sheet(campaign, county)
    round_ = make_round(campaign, county, sheet=first)
    second = make_sheet(
        campaign,
        county,
        items=[{"category": "道路", "name": "路面破损", "max_points": "100", "per_occurrence": "4"}],
    )
    first.refresh_from_db()
    assert (first.version, second.version, first.frozen) == (1, 2, True)
    assert InspectionRound.objects.get(pk=round_.pk).sheet == first
    assert AuditEntry.objects.filter(event=AuditEvent.SCORE_SHEET_CREATED).count() == 2


def test_a_cap_above_the_item_maximum_is_refused(county):
    campaign = make_campaign(county)
    with pytest.raises(ValidationError, match="扣分上限不能超过"):
        make_sheet(campaign, county, items=[{"category": "a", "name": "b", "max_points": "5", "cap": "6"}])
    assert campaign.sheets.count() == 0


def test_an_inspector_scores_and_submits_a_site_once(county):
    campaign = make_campaign(county)
    round_ = make_round(campaign, county)
    site = site_of(round_, 1, county)
    score = score_and_submit(round_, site, county.inspector, {"垃圾乱堆乱放": 8, "污水横流": 1})
    assert score.total == Decimal("93.00") and score.status == ScoreStatus.FINAL
    assert AuditEntry.objects.get(event=AuditEvent.SITE_SCORE_SUBMITTED).changes["total"] == [None, "93.00"]
    assert AuditEntry.objects.filter(event=AuditEvent.SITE_SCORED, target_id=str(score.pk)).exists()
    with pytest.raises(ValidationError, match="不能再次提交"):
        services.submit_score(score, actor=county.inspector)
    with pytest.raises(ValidationError, match="不能修改"):
        services.score_site(round_, site, actor=county.inspector, deductions=[])


def test_bad_input_is_refused_and_nothing_is_saved(county):
    campaign = make_campaign(county)
    round_ = make_round(campaign, county)
    other = make_round(campaign, county)
    site = site_of(round_, 1, county)
    items = {i.name: i for i in round_.sheet.items.all()}
    cases = [
        ([{"item": items["垃圾乱堆乱放"], "points": "21"}], "超过该项分值"),
        ([{"item": items["污水横流"], "count": -1}], "不能为负数"),
        ([{"item": items["污水横流"], "points": "-2"}], "不能为负数"),
        ([{"item": items["污水横流"], "points": "两分"}], "须为数字"),
    ]
    for deductions, message in cases:
        with pytest.raises(ValidationError, match=message):
            services.score_site(round_, site, actor=county.inspector, deductions=deductions)
    with pytest.raises(ValidationError, match="不在本轮检查范围内"):
        services.score_site(other, site, actor=county.inspector, deductions=[])
    assert not SiteScore.objects.exists() and not Deduction.objects.exists()
    assert not AuditEntry.objects.filter(event=AuditEvent.SITE_SCORED).exists()


def test_an_inspector_never_scores_his_own_town_nor_a_round_he_is_not_on(county):
    campaign = make_campaign(county)
    round_ = make_round(campaign, county, inspectors=[county.town_inspector])
    with pytest.raises(PermissionDenied, match="本人所在镇"):
        services.score_site(round_, site_of(round_, 0, county), actor=county.town_inspector, deductions=[])
    services.score_site(round_, site_of(round_, 1, county), actor=county.town_inspector, deductions=[])
    with pytest.raises(PermissionDenied, match="不是本轮检查人员"):
        services.score_site(round_, site_of(round_, 2, county), actor=county.inspector, deductions=[])


def test_a_rescored_draft_keeps_the_deductions_still_found(county):
    campaign = make_campaign(county)
    round_ = make_round(campaign, county)
    site = site_of(round_, 1, county)
    items = {i.name: i for i in round_.sheet.items.all()}
    first = services.score_site(
        round_,
        site,
        actor=county.inspector,
        deductions=[{"item": items["垃圾乱堆乱放"], "count": 2}, {"item": items["污水横流"], "count": 1}],
    )
    kept = first.deductions.get(item=items["垃圾乱堆乱放"])
    again = services.score_site(
        round_,
        site,
        actor=county.inspector,
        deductions=[{"item": items["垃圾乱堆乱放"], "count": 3, "note": "村口"}],
    )
    assert again.total == Decimal(97) and list(again.deductions.values_list("pk", "count")) == [(kept.pk, 3)]


def test_round_ranking_updates_as_scores_are_submitted_and_ties_share_a_rank(county):
    campaign = make_campaign(county)
    round_ = make_round(campaign, county)
    score_and_submit(round_, site_of(round_, 0, county), county.inspector, {"污水横流": 2})  # 96
    assert [(r.town.town, r.rank, r.score) for r in queries.round_ranking(round_)] == [
        (county.towns[0], 1, Decimal(96))
    ]
    score_and_submit(round_, site_of(round_, 1, county), county.inspector, {"垃圾乱堆乱放": 4})  # 96
    score_and_submit(round_, site_of(round_, 2, county), county.inspector, {"发生焚烧垃圾": 1})  # 0
    ranks = [(r.town.town, r.rank) for r in queries.round_ranking(round_)]
    assert ranks == [(county.towns[0], 1), (county.towns[1], 1), (county.towns[2], 3)]
    # A draft does not count.
    services.score_site(round_, site_of(round_, 2, county, 1), actor=county.inspector, deductions=[])
    assert [r.sites for r in queries.round_ranking(round_)] == [1, 1, 1]


def test_cumulative_ranking_pools_every_round_by_the_weighted_rule(county):
    campaign = make_campaign(county, roll_up=RollUp.WEIGHTED)
    sizes = dict(campaign.villages.values_list("pk", "village_id"))
    first, second = make_round(campaign, county), make_round(campaign, county)
    v0, v1 = (site_of(first, 0, county, n).village for n in (0, 1))
    v0.households, v1.households = 3, 1
    v0.save(), v1.save()
    score_and_submit(first, site_of(first, 0, county, 0), county.inspector, {"污水横流": 5})  # 90 × 3
    score_and_submit(second, site_of(second, 0, county, 1), county.inspector)  # 100 × 1
    score_and_submit(second, site_of(second, 1, county, 0), county.inspector, {"垃圾乱堆乱放": 1})  # 99
    cumulative = {r.town.town: (r.score, r.rank) for r in queries.cumulative_ranking(campaign)}
    assert cumulative == {county.towns[1]: (Decimal(99), 1), county.towns[0]: (Decimal("92.50"), 2)}
    assert sizes


def test_who_sees_rounds_and_scores(county):
    campaign = make_campaign(county)
    round_ = make_round(campaign, county, inspectors=[county.inspector])
    own = score_and_submit(round_, site_of(round_, 0, county), county.inspector)
    other = score_and_submit(round_, site_of(round_, 1, county), county.inspector)
    draft = services.score_site(round_, site_of(round_, 0, county, 1), actor=county.inspector, deductions=[])
    assert set(SiteScore.objects.visible_to(county.leader)) == {own, other, draft}
    assert set(SiteScore.objects.visible_to(county.inspector)) == {own, other, draft}
    assert set(SiteScore.objects.visible_to(county.town_liaison)) == {own}
    assert not SiteScore.objects.visible_to(county.town_inspector).exists()
    # A county department's liaison is no town: its unit sits at the county, above every village.
    department = make_user_with_role(Role.UNIT_LIAISON, unit=county.dept)
    assert not SiteScore.objects.visible_to(department).exists()
    assert not RoundSite.objects.visible_to(department).exists()
    assert not InspectionRound.objects.visible_to(county.town_liaison).exists()
    services.publish_ranking(round_, actor=county.office)
    assert list(InspectionRound.objects.visible_to(county.town_liaison)) == [round_]
    assert Campaign.objects.visible_to(county.town_liaison).count() == 1
    assert not Campaign.objects.visible_to(county.town_liaison, "change").exists()
    assert AuditEntry.objects.filter(event=AuditEvent.INSPECTION_RANKING_PUBLISHED).count() == 1
