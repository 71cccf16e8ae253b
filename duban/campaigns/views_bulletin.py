"""A round's bulletin (printable HTML, .xlsx, .docx) and its reward/penalty list (propose, adjust,
approve, publish)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban import audit
from duban.accounts import policy
from duban.accounts.choices import Role
from duban.audit.events import AuditEvent

from . import bulletin as documents
from .choices import SanctionListStatus
from .models import InspectionRound, Sanction, SanctionList
from .services import sanctions
from .services.common import in_county

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _round(request, pk: int) -> InspectionRound:
    return policy.get_object_for_user_or_404(
        request.user, InspectionRound.objects.visible_to(request.user).select_related("campaign__county"), pk
    )


@login_required
def bulletin(request, pk: int):
    round_ = _round(request, pk)
    data = documents.build(round_)
    sanction_list = data.sanction_list
    visible_list = (
        SanctionList.objects.visible_to(request.user).filter(pk=sanction_list.pk).exists()
        if sanction_list
        else False
    )
    entries = []
    if visible_list:
        entries = list(
            Sanction.objects.visible_to(request.user)
            .filter(sanction_list=sanction_list)
            .select_related("town__town")
        )
    may_change = policy.can(request.user, policy.CHANGE, round_)
    context = {
        "round": round_,
        "campaign": round_.campaign,
        "b": data,
        "entries": entries,
        "sanction_list": sanction_list if visible_list else None,
        "may_change": may_change,
        "may_approve": sanction_list is not None
        and in_county(round_.campaign.county, Role.COUNTY_LEADER, request.user),
        "draft": sanction_list is not None and sanction_list.status == SanctionListStatus.DRAFT,
    }
    return render(request, "campaigns/bulletin.html", context)


@login_required
def bulletin_file(request, pk: int, fmt: str):
    round_ = _round(request, pk)
    data = documents.build(round_)
    if fmt == "xlsx":
        content, mime = documents.to_xlsx(data), XLSX
    elif fmt == "docx":
        content, mime = documents.to_docx(data), DOCX
    else:
        raise PermissionDenied
    with transaction.atomic():
        audit.record(AuditEvent.EXPORT, actor=request.user, target=round_, changes={"format": [None, fmt]})
    response = HttpResponse(content, content_type=mime)
    name = f"bulletin-{round_.pk}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def sanction_move(request, pk: int, move: str):
    round_ = _round(request, pk)
    sanction_list = SanctionList.objects.visible_to(request.user).filter(round=round_).first()
    try:
        if move == "propose":
            sanctions.propose_sanctions(round_, actor=request.user)
        elif sanction_list is None:
            raise ValidationError(_("请先拟定奖惩名单"))
        elif move == "approve":
            sanctions.approve_sanctions(sanction_list, actor=request.user)
        elif move == "publish":
            sanctions.publish_sanctions(sanction_list, actor=request.user)
        else:
            raise PermissionDenied
    except ValidationError as exc:
        messages.error(request, "；".join(str(m) for m in exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("无权执行此操作"))
    else:
        messages.success(request, _("已保存"))
    return redirect("campaigns:bulletin", pk=round_.pk)


@login_required
@require_POST
def sanction_adjust(request, pk: int):
    sanction = policy.get_object_for_user_or_404(
        request.user, Sanction.objects.visible_to(request.user).select_related("sanction_list__round"), pk
    )
    amount = request.POST.get("amount") or None
    try:
        sanctions.adjust_sanction(
            sanction,
            actor=request.user,
            reason=request.POST.get("reason", ""),
            amount=amount,
            withdraw=request.POST.get("withdraw") == "1",
        )
    except ValidationError as exc:
        messages.error(request, "；".join(str(m) for m in exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("无权执行此操作"))
    else:
        messages.success(request, _("已调整"))
    return redirect("campaigns:bulletin", pk=sanction.sanction_list.round_id)
