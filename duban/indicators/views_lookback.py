"""Pages of the look-back drive (回头看): list, launch from the lagging list, detail, plans, summary."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.accounts import policy

from .board import board_rows
from .choices import Frequency, LookBackStatus
from .forms import LaunchForm, PlanForm, SummaryForm
from .models import Indicator, LookBack, LookBackItem
from .periods import latest_closed
from .roles import in_unit, is_office_over
from .services.lookback import close_look_back, launch_look_back, submit_look_back_plan
from .tracking import tracks, worst
from .views_reporting import _errors_to_form, _home_county


@login_required
def look_back_list(request):
    look_backs = (
        LookBack.objects.visible_to(request.user).select_related("launched_by").order_by("-created_at")
    )
    county = _home_county(request.user)
    can_launch = county is not None and is_office_over(request.user, county)
    return render(
        request, "indicators/look_back_list.html", {"look_backs": look_backs, "can_launch": can_launch}
    )


@login_required
def look_back_launch(request):
    county = _home_county(request.user)
    if county is None or not is_office_over(request.user, county):
        raise PermissionDenied(_("只有督查室可以发起回头看"))
    lagging = [
        r
        for r in board_rows(
            request.user, Indicator.objects.visible_to(request.user).filter(county=county, is_active=True)
        )
        if r.lagging
    ]
    form = LaunchForm(request.POST or None, lagging_rows=lagging)
    if request.method == "POST" and form.is_valid():
        chosen = [r.indicator for r in lagging if str(r.indicator.pk) in form.cleaned_data["indicators"]]
        try:
            look_back = launch_look_back(
                actor=request.user,
                county=county,
                title=form.cleaned_data["title"],
                indicators=chosen,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("已发起回头看，已通知各责任单位提交整改计划"))
            return redirect("indicators:look_back_detail", look_back.pk)
    return render(request, "indicators/look_back_launch.html", {"form": form, "lagging": lagging})


@login_required
def look_back_detail(request, pk: int):
    look_back = policy.get_object_for_user_or_404(request.user, LookBack.objects.visible_to(request.user), pk)
    items = list(
        LookBackItem.objects.visible_to(request.user)
        .filter(look_back=look_back)
        .select_related("indicator__owner_unit", "indicator__county", "submitted_by")
    )
    today = timezone.localdate()
    latest = {f: latest_closed(f, today) for f in Frequency.values}
    item_tracks = tracks(request.user, items, latest)
    is_open = look_back.status == LookBackStatus.OPEN
    rows = [
        (
            t,
            PlanForm(prefix=f"plan{t.item.pk}")
            if is_open and in_unit(request.user, t.item.indicator.owner_unit_id)
            else None,
        )
        for t in item_tracks
    ]
    context = {
        "look_back": look_back,
        "rows": rows,
        "overall": worst([t.colour for t in item_tracks]),
        "summary_form": SummaryForm() if is_open and is_office_over(request.user, look_back.county) else None,
    }
    return render(request, "indicators/look_back_detail.html", context)


@login_required
@require_POST
def look_back_plan(request, pk: int):
    item = policy.get_object_for_user_or_404(request.user, LookBackItem.objects.visible_to(request.user), pk)
    form = PlanForm(request.POST, prefix=f"plan{item.pk}")
    if not form.is_valid():
        messages.error(
            request,
            "；".join(f"{form.fields[f].label}：{e}" for f, errs in form.errors.items() for e in errs),
        )
        return redirect("indicators:look_back_detail", item.look_back_id)
    try:
        submit_look_back_plan(item, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("整改计划已提交"))
    return redirect("indicators:look_back_detail", item.look_back_id)


@login_required
@require_POST
def look_back_close(request, pk: int):
    look_back = policy.get_object_for_user_or_404(request.user, LookBack.objects.visible_to(request.user), pk)
    form = SummaryForm(request.POST)
    try:
        close_look_back(look_back, actor=request.user, summary=form.data.get("summary", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("回头看已总结"))
    return redirect("indicators:look_back_detail", look_back.pk)
