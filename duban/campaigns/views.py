"""Campaign pages: the list, the dashboard, a round, a town."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from duban.accounts import policy

from . import queries
from .models import Campaign, CampaignTown, CampaignVillage, InspectionRound, RoundSite, SiteScore


@login_required
def campaign_list(request):
    campaigns = Campaign.objects.visible_to(request.user).select_related("lead_unit", "county")
    return render(request, "campaigns/campaign_list.html", {"campaigns": campaigns})


def _chart(ranking) -> dict:
    return {"towns": [r.town.town.name for r in ranking], "scores": [str(r.score) for r in ranking]}


@login_required
def campaign_detail(request, pk: int):
    campaign = policy.get_object_for_user_or_404(
        request.user, Campaign.objects.visible_to(request.user).select_related("lead_unit"), pk
    )
    rounds = InspectionRound.objects.visible_to(request.user).filter(campaign=campaign)
    round_list = list(rounds.select_related("sheet"))
    latest = round_list[0] if round_list else None
    ranking = queries.cumulative_ranking(campaign, rounds)
    counts = queries.rectification_counts(campaign, timezone.localdate())
    context = {
        "campaign": campaign,
        "rounds": round_list,
        "latest": latest,
        "latest_ranking": queries.round_ranking(latest) if latest else [],
        "ranking": [(r, counts.get(r.town.pk, {})) for r in ranking],
        "chart": _chart(ranking),
        "open_rectifications": list(queries.open_rectifications(campaign, request.user)[:20]),
        "quantities": queries.quantity_board(campaign, timezone.localdate()),
        "towns": CampaignTown.objects.visible_to(request.user)
        .filter(campaign=campaign)
        .select_related("town"),
    }
    return render(request, "campaigns/campaign_detail.html", context)


@login_required
def round_detail(request, pk: int):
    round_ = policy.get_object_for_user_or_404(
        request.user, InspectionRound.objects.visible_to(request.user).select_related("campaign", "sheet"), pk
    )
    sites = (
        RoundSite.objects.visible_to(request.user)
        .filter(round=round_)
        .select_related("village__village", "village__town__town", "score__inspector")
    )
    is_inspector = round_.inspectors.filter(pk=request.user.pk).exists()
    ranking = queries.round_ranking(round_)
    context = {
        "round": round_,
        "campaign": round_.campaign,
        "sites": sites,
        "is_inspector": is_inspector,
        "ranking_rows": [(r, {}) for r in ranking],
        "chart": _chart(ranking),
    }
    return render(request, "campaigns/round_detail.html", context)


@login_required
def town_detail(request, pk: int):
    town = policy.get_object_for_user_or_404(
        request.user,
        CampaignTown.objects.visible_to(request.user).select_related("campaign", "town", "unit"),
        pk,
    )
    campaign = town.campaign
    rounds = InspectionRound.objects.visible_to(request.user).filter(campaign=campaign)
    ranks = queries.town_round_ranks(campaign, rounds)
    round_rows = [(r, ranks.get((r.pk, town.pk))) for r in rounds]
    scores = (
        SiteScore.objects.visible_to(request.user)
        .filter(site__village__town=town)
        .select_related("site__village__village", "site__round", "inspector")
        .order_by("-site__round__start_date", "site__village__village__name")
    )
    context = {
        "town": town,
        "campaign": campaign,
        "villages": CampaignVillage.objects.visible_to(request.user)
        .filter(town=town)
        .select_related("village"),
        "round_rows": round_rows,
        "scores": scores,
        "rectifications": queries.rectifications_for(request.user)
        .filter(town=town)
        .order_by("status", "due_date"),
    }
    return render(request, "campaigns/town_detail.html", context)
