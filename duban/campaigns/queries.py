"""Composed reads: town scores and rankings, computed by the database (aggregates + RANK())."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, IntegerField, QuerySet, Sum, Value, Window
from django.db.models.functions import Cast, Rank, Round

from .choices import RollUp, ScoreStatus
from .models import Campaign, CampaignTown, InspectionRound, Rectification, SiteScore


@dataclass(frozen=True)
class TownRank:
    town: CampaignTown
    score: Decimal
    rank: int
    sites: int


def _ranked(scores: QuerySet, weighted: bool, by_round: bool = False) -> list[dict]:
    """Town scores in cents and competition ranks over final site scores (per round if `by_round`).

    Everything is integer arithmetic (cents; half-up by `(2·S + W) div (2·W)`), so SQLite and
    PostgreSQL agree to the cent with the rules in duban.campaigns.scoring.
    """
    cents = Cast(Round(F("total") * 100), IntegerField())
    weight = F("site__village__households") if weighted else Value(1)
    keys = {"town_id": F("site__village__town_id")}
    if by_round:
        keys["round_id"] = F("site__round_id")
    rows = (
        scores.filter(status=ScoreStatus.FINAL)
        .values(**keys)
        .annotate(
            points=Sum(cents * weight, output_field=IntegerField()),
            weights=Sum(weight, output_field=IntegerField()),
            sites=Count("pk"),
        )
        .annotate(
            score_cents=Cast((F("points") * 2 + F("weights")) / (F("weights") * 2), IntegerField()),
        )
        .annotate(
            rank=Window(
                Rank(),
                partition_by=[F("site__round_id")] if by_round else None,
                order_by=F("score_cents").desc(),
            )
        )
        .order_by(*(["round_id"] if by_round else []), "rank", "town_id")
    )
    return list(rows)


def _with_towns(rows: list[dict], campaign: Campaign) -> list[TownRank]:
    towns = {t.pk: t for t in CampaignTown.objects.filter(campaign=campaign).select_related("town", "unit")}
    return [
        TownRank(towns[r["town_id"]], Decimal(r["score_cents"]).scaleb(-2), r["rank"], r["sites"])
        for r in rows
    ]


def round_ranking(round_: InspectionRound) -> list[TownRank]:
    """The towns of one round, best first; equal scores share a rank (1, 2, 2, 4)."""
    campaign = round_.campaign
    scores = SiteScore.objects.filter(site__round=round_)
    return _with_towns(_ranked(scores, campaign.roll_up == RollUp.WEIGHTED), campaign)


def cumulative_ranking(campaign: Campaign, rounds: QuerySet | None = None) -> list[TownRank]:
    """The towns over the campaign's rounds (or the given ones): all final site scores pooled by the same rule."""
    scores = SiteScore.objects.filter(site__round__campaign=campaign)
    if rounds is not None:
        scores = scores.filter(site__round__in=rounds.values("pk"))
    return _with_towns(_ranked(scores, campaign.roll_up == RollUp.WEIGHTED), campaign)


def town_round_ranks(campaign: Campaign, rounds: QuerySet) -> dict[tuple[int, int], tuple[Decimal, int]]:
    """(round id, town id) -> (score, rank) for every given round in one query."""
    scores = SiteScore.objects.filter(site__round__campaign=campaign, site__round__in=rounds.values("pk"))
    rows = _ranked(scores, campaign.roll_up == RollUp.WEIGHTED, by_round=True)
    return {(r["round_id"], r["town_id"]): (Decimal(r["score_cents"]).scaleb(-2), r["rank"]) for r in rows}


def rectifications_for(user) -> QuerySet:
    return Rectification.objects.visible_to(user).select_related(
        "town__town",
        "town__unit",
        "campaign",
        "issued_by",
        "closed_by",
        "deduction__item",
        "deduction__score__site__village__village",
        "deduction__score__site__round",
    )


def photos_of(owner) -> list:
    from duban.attachments.queries import attachments_of

    return attachments_of(owner, kind="photo")


def answers_for_town(user, rectification: Rectification) -> bool:
    from duban.accounts import policy
    from duban.accounts.choices import UNIT_SCOPED_ROLES

    return rectification.town.unit_id in policy.grants_of(user).units(UNIT_SCOPED_ROLES)


def may_verify(user, rectification: Rectification) -> bool:
    from .services.rectifications import is_verifier

    return is_verifier(rectification, user)


def open_rectifications(campaign: Campaign, user) -> QuerySet:
    return (
        rectifications_for(user).filter(campaign=campaign).exclude(status="closed").order_by("due_date", "pk")
    )


def rectification_counts(campaign: Campaign, today) -> dict[int, dict[str, int]]:
    """Per town: open orders, and orders counted against it as overdue (open past the deadline,
    or closed out after it). One query."""
    from django.db.models import Q
    from django.db.models.functions import TruncDate

    late_open = Q(due_date__lt=today) & ~Q(status="closed")
    closed_late = Q(status="closed", closed_at__isnull=False) & Q(closed_day__gt=F("due_date"))
    rows = (
        Rectification.objects.filter(campaign=campaign)
        .annotate(closed_day=TruncDate("closed_at"))
        .values("town_id")
        .annotate(
            open=Count("pk", filter=~Q(status="closed")),
            overdue=Count("pk", filter=late_open | closed_late),
            total=Count("pk"),
        )
    )
    return {r["town_id"]: r for r in rows}


@dataclass(frozen=True)
class TownProgress:
    work_item_id: int
    town: CampaignTown
    planned: Decimal
    done: Decimal
    percent: Decimal
    rank: int


def quantity_ranking(campaign: Campaign) -> list[TownProgress]:
    """Per work item, each town's plan and completed quantity rolled up from its villages, ranked by
    completion (basis points, so ties are exact) — one query with a RANK() window per work item."""
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from .models import QuantityPlan, QuantityReport

    done = (
        QuantityReport.objects.filter(
            work_item=OuterRef("work_item"), village__town=OuterRef("village__town")
        )
        .values("work_item")
        .annotate(s=Sum(Cast(Round(F("quantity") * 100), IntegerField())))
        .values("s")
    )
    plan_cents = Sum(Cast(Round(F("planned") * 100), IntegerField()))
    rows = (
        QuantityPlan.objects.filter(work_item__campaign=campaign)
        .values("work_item", town_id=F("village__town"))
        .annotate(plan=plan_cents, done=Coalesce(Subquery(done, output_field=IntegerField()), Value(0)))
        .annotate(
            basis=Cast(
                (F("done") * 10000 * 2 + F("plan")) / (F("plan") * 2),
                IntegerField(),
            )
        )
        .filter(plan__gt=0)
        .annotate(rank=Window(Rank(), partition_by=[F("work_item")], order_by=F("basis").desc()))
        .order_by("work_item", "rank", "town_id")
    )
    towns = {t.pk: t for t in CampaignTown.objects.filter(campaign=campaign).select_related("town", "unit")}
    return [
        TownProgress(
            r["work_item"],
            towns[r["town_id"]],
            Decimal(r["plan"]).scaleb(-2),
            Decimal(r["done"]).scaleb(-2),
            Decimal(r["basis"]).scaleb(-2),
            r["rank"],
        )
        for r in rows
    ]


def quantity_board(campaign: Campaign, today) -> list:
    """Per work item: towns ranked on completion, each with its light against time progress."""
    from duban.core.lights import progress_light

    from .models import WorkItem

    rows = quantity_ranking(campaign)
    board = []
    for item in WorkItem.objects.filter(campaign=campaign):
        mine = [r for r in rows if r.work_item_id == item.pk]
        board.append(
            (
                item,
                [
                    (r, progress_light(r.planned, r.done, campaign.start_date, campaign.end_date, today))
                    for r in mine
                ],
            )
        )
    return board
