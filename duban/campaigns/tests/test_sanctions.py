"""Rewards and penalties: the rules, the list's workflow (propose, adjust, approve, publish,
read-only) and the round's bulletin as .xlsx and .docx."""

import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from duban.audit.events import AuditEvent
from duban.audit.models import AuditEntry
from duban.campaigns import bulletin, scoring, services
from duban.campaigns.factories import County, make_campaign, make_round, score_and_submit
from duban.campaigns.models import InspectionRound, SanctionList
from duban.campaigns.sanction_rules import propose

TOP = SimpleNamespace(
    trigger="top_places",
    kind="commend",
    rank_from=1,
    rank_to=3,
    amount=Decimal(50000),
    text="通报表扬",
    red_below=None,
)
LAST = SimpleNamespace(
    trigger="last_place",
    kind="criticise",
    rank_from=1,
    rank_to=1,
    amount=Decimal(0),
    text="通报批评",
    red_below=None,
)
REDS = SimpleNamespace(
    trigger="two_reds",
    kind="penalty",
    rank_from=1,
    rank_to=1,
    amount=Decimal(20000),
    text="连续两轮红灯",
    red_below=Decimal(80),
)


@given(st.dictionaries(st.integers(1, 30), st.decimals(0, 100, places=2), min_size=2, max_size=13), st.data())
def test_rules_follow_the_ranks_with_ties(scores, data):
    ranks = scoring.competition_ranks(scores)
    ranking = [(t, ranks[t], s) for t, s in scores.items()]
    previous = {t: data.draw(st.decimals(0, 100, places=2)) for t in scores}
    got = propose(ranking, previous, [TOP, LAST, REDS])
    commended = {p.town_id for p in got if p.kind == "commend"}
    criticised = {p.town_id for p in got if p.kind == "criticise"}
    penalised = {p.town_id for p in got if p.kind == "penalty"}
    assert commended == {t for t in scores if ranks[t] <= 3}
    assert criticised == {t for t in scores if ranks[t] == max(ranks.values())}
    assert penalised == {t for t in scores if scores[t] < 80 and previous[t] < 80}


@pytest.mark.django_db
def test_the_list_is_proposed_adjusted_approved_and_published_then_read_only():
    county = County(towns=4, villages=1)
    campaign = make_campaign(county)
    for rule in (TOP, LAST, REDS):
        services.add_sanction_rule(
            campaign,
            actor=county.office,
            trigger=rule.trigger,
            kind=rule.kind,
            text=rule.text,
            amount=rule.amount,
            rank_from=1,
            rank_to=1,
            red_below=rule.red_below,
        )
    first, second = make_round(campaign, county), make_round(campaign, county)
    second.start_date = second.end_date = first.end_date.replace(day=first.end_date.day + 1)
    second.save()
    found = [{}, {"污水横流": 2}, {"残垣断壁未清理": 3}, {"残垣断壁未清理": 5}]  # 100, 96, 85, 75
    for round_ in (first, second):
        for site, f in zip(round_.sites.order_by("village__town_id"), found, strict=True):
            score_and_submit(round_, site, county.inspector, f)
    sanction_list = services.propose_sanctions(second, actor=county.office)
    got = sorted((s.town.town.name, s.kind, s.amount) for s in sanction_list.sanctions.all())
    towns = [t.name for t in county.towns]
    assert got == sorted(
        [
            (towns[0], "commend", Decimal(50000)),
            (towns[3], "criticise", 0),
            (towns[3], "penalty", Decimal(20000)),
        ]
    )
    penalty = sanction_list.sanctions.get(kind="penalty")
    with pytest.raises(ValidationError, match="理由"):
        services.adjust_sanction(penalty, actor=county.office, reason="", amount="10000")
    services.adjust_sanction(penalty, actor=county.office, reason="已主动整改，减半", amount="10000")
    with pytest.raises(PermissionDenied):
        services.approve_sanctions(sanction_list, actor=county.office)
    with pytest.raises(ValidationError, match="审定后"):
        services.publish_sanctions(sanction_list, actor=county.office)
    services.approve_sanctions(sanction_list, actor=county.leader)
    with pytest.raises(ValidationError, match="不能修改"):
        services.adjust_sanction(penalty, actor=county.office, reason="再调", amount="0")
    services.publish_sanctions(sanction_list, actor=county.office)
    assert InspectionRound.objects.get(pk=second.pk).ranking_published
    with pytest.raises(ValidationError, match="不能修改"):
        services.propose_sanctions(second, actor=county.office)
    events = set(AuditEntry.objects.filter(event__startswith="sanction.").values_list("event", flat=True))
    assert events == {
        AuditEvent.SANCTIONS_PROPOSED,
        AuditEvent.SANCTION_ADJUSTED,
        AuditEvent.SANCTIONS_APPROVED,
        AuditEvent.SANCTIONS_PUBLISHED,
    }
    assert SanctionList.objects.visible_to(county.town_liaison).count() == 1

    data = bulletin.build(second)
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(bulletin.to_xlsx(data)))
    assert book.sheetnames == ["镇街排名", "奖惩名单"]
    assert [c.value for c in book["镇街排名"][3]][:2] == [1, towns[0]]
    from docx import Document

    doc = Document(io.BytesIO(bulletin.to_docx(data)))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (
        210,
        297,
    ) and round(section.top_margin.mm) == 37
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "通报表扬" in text and towns[0] in text and "处罚10,000.00元" in text
    assert doc.paragraphs[1].runs[0].font.name == "仿宋_GB2312"
    assert "PAGE" in section.footer.paragraphs[0]._p.xml


@pytest.mark.django_db
def test_the_bulletin_page_and_files(client):
    county = County(towns=2, villages=1)
    campaign = make_campaign(county)
    round_ = make_round(campaign, county)
    for site in round_.sites.all():
        score_and_submit(round_, site, county.inspector)
    client.force_login(county.office)
    page = client.get(reverse("campaigns:bulletin", args=[round_.pk])).content.decode()
    assert "按规则拟定奖惩名单" in page and "导出Word通报" in page
    client.post(reverse("campaigns:sanction_move", args=[round_.pk, "propose"]))
    assert SanctionList.objects.filter(round=round_).exists()
    for fmt, magic in (("docx", b"PK"), ("xlsx", b"PK")):
        response = client.get(reverse("campaigns:bulletin_file", args=[round_.pk, fmt]))
        assert response.status_code == 200 and response.content[:2] == magic
    assert AuditEntry.objects.filter(event=AuditEvent.EXPORT).count() == 2
    client.force_login(county.town_liaison)
    assert client.get(reverse("campaigns:bulletin", args=[round_.pk])).status_code == 404
