"""The inspector's phone page: score a site item by item, photos per deduction, submit, order fixes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.accounts import policy

from .choices import ScoreStatus
from .models import Deduction, InspectionRound, RoundSite, ScoreItem, SiteScore
from .services import inspections, rectifications


def _message(exc: ValidationError | PermissionDenied) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(str(m) for m in exc.messages)
    return str(exc) or _("无权执行此操作")


def _site(request, round_pk: int, site_pk: int) -> tuple[InspectionRound, RoundSite]:
    round_ = policy.get_object_for_user_or_404(
        request.user,
        InspectionRound.objects.visible_to(request.user).select_related("campaign", "sheet"),
        round_pk,
    )
    site = policy.get_object_for_user_or_404(
        request.user,
        RoundSite.objects.visible_to(request.user).select_related("village__village", "village__town__town"),
        site_pk,
    )
    return round_, site


def _deductions_from(post, items: list[ScoreItem]) -> list[dict]:
    rows = []
    for item in items:
        count = (post.get(f"count-{item.pk}") or "0").strip()
        try:
            count_value = int(count)
        except ValueError:
            raise ValidationError(_("“%(item)s”的问题处数须为整数") % {"item": item.name}) from None
        points = (post.get(f"points-{item.pk}") or "").strip()
        note = post.get(f"note-{item.pk}", "")
        if count_value or points or note.strip():
            rows.append({"item": item, "count": count_value, "points": points or None, "note": note})
    return rows


@login_required
def score_site(request, round_pk: int, site_pk: int):
    round_, site = _site(request, round_pk, site_pk)
    items = list(ScoreItem.objects.visible_to(request.user).filter(sheet=round_.sheet))
    score = SiteScore.objects.visible_to(request.user).filter(site=site).select_related("inspector").first()
    if request.method == "POST":
        try:
            if site.round_id != round_.pk:
                raise ValidationError(_("该点位不在本轮检查范围内"))
            inspections.score_site(
                round_,
                site,
                actor=request.user,
                deductions=_deductions_from(request.POST, items),
                note=request.POST.get("note", ""),
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _message(exc))
        else:
            messages.success(request, _("已保存。可为扣分项拍照，核对无误后提交。"))
        return redirect("campaigns:score_site", round_pk=round_.pk, site_pk=site.pk)
    found = {}
    if score:
        found = {
            d.item_id: d
            for d in Deduction.objects.visible_to(request.user)
            .filter(score=score)
            .select_related("rectification")
        }
    rows = [(item, found.get(item.pk)) for item in items]
    context = {
        "round": round_,
        "site": site,
        "score": score,
        "rows": rows,
        "deductions": [d for _i, d in rows if d is not None],
        "final": score is not None and score.status == ScoreStatus.FINAL,
        "is_inspector": round_.inspectors.filter(pk=request.user.pk).exists(),
    }
    return render(request, "campaigns/score_site.html", context)


@login_required
@require_POST
def submit_site_score(request, round_pk: int, site_pk: int):
    round_, site = _site(request, round_pk, site_pk)
    score = SiteScore.objects.visible_to(request.user).filter(site=site, site__round=round_).first()
    if score is None:
        messages.error(request, _("请先保存打分"))
        return redirect("campaigns:score_site", round_pk=round_.pk, site_pk=site.pk)
    try:
        inspections.submit_score(score, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _message(exc))
        return redirect("campaigns:score_site", round_pk=round_.pk, site_pk=site.pk)
    messages.success(request, _("已提交，镇街排名已更新"))
    return redirect("campaigns:score_site", round_pk=round_.pk, site_pk=site.pk)


@login_required
@require_POST
def issue_rectification(request, pk: int):
    deduction = policy.get_object_for_user_or_404(
        request.user,
        Deduction.objects.visible_to(request.user).select_related("score__site__round", "item"),
        pk,
    )
    site = deduction.score.site
    try:
        days = int(request.POST.get("working_days") or 5)
        order = rectifications.issue_rectification(
            deduction, actor=request.user, requirement=request.POST.get("requirement", ""), working_days=days
        )
    except ValueError:
        messages.error(request, _("整改时限须为整数个工作日"))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("已下达整改通知，期限%(date)s") % {"date": order.due_date.isoformat()})
    return redirect("campaigns:score_site", round_pk=site.round_id, site_pk=site.pk)
