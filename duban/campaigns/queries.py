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


def _ranked(scores: QuerySet, weighted: bool) -> list[dict]:
    """Town scores in cents and competition ranks over final site scores.

    Everything is integer arithmetic (cents; half-up by `(2·S + W) div (2·W)`), so SQLite and
    PostgreSQL agree to the cent with the rules in duban.campaigns.scoring.
    """
    cents = Cast(Round(F("total") * 100), IntegerField())
    weight = F("site__village__households") if weighted else Value(1)
    rows = (
        scores.filter(status=ScoreStatus.FINAL)
        .values(town_id=F("site__village__town_id"))
        .annotate(
            points=Sum(cents * weight, output_field=IntegerField()),
            weights=Sum(weight, output_field=IntegerField()),
            sites=Count("pk"),
        )
        .annotate(
            score_cents=Cast((F("points") * 2 + F("weights")) / (F("weights") * 2), IntegerField()),
        )
        .annotate(rank=Window(Rank(), order_by=F("score_cents").desc()))
        .order_by("rank", "town_id")
    )
    return list(rows)


def _with_towns(rows: list[dict], campaign: Campaign) -> list[TownRank]:
    towns = {t.pk: t for t in CampaignTown.objects.filter(campaign=campaign).select_related("town", "unit")}
    return [
        TownRank(towns[r["town_id"]], Decimal(r["score_cents"]) / 100, r["rank"], r["sites"]) for r in rows
    ]


def round_ranking(round_: InspectionRound) -> list[TownRank]:
    """The towns of one round, best first; equal scores share a rank (1, 2, 2, 4)."""
    campaign = round_.campaign
    scores = SiteScore.objects.filter(site__round=round_)
    return _with_towns(_ranked(scores, campaign.roll_up == RollUp.WEIGHTED), campaign)


def cumulative_ranking(campaign: Campaign) -> list[TownRank]:
    """The towns over every round of the campaign: all final site scores pooled by the same rule."""
    scores = SiteScore.objects.filter(site__round__campaign=campaign)
    return _with_towns(_ranked(scores, campaign.roll_up == RollUp.WEIGHTED), campaign)


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
