"""The rectification order's page: the town answers with after-photos, the inspector verifies."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.accounts import policy
from duban.audit.queries import history_for

from . import queries
from .choices import RectificationStatus
from .services import rectifications as services


def _message(exc: ValidationError) -> str:
    return "；".join(str(m) for m in exc.messages)


@login_required
def rectification_detail(request, pk: int):
    rectification = policy.get_object_for_user_or_404(
        request.user, queries.rectifications_for(request.user), pk
    )
    may_answer = policy.can(request.user, policy.CHANGE, rectification) and rectification.status in (
        RectificationStatus.OPEN,
        RectificationStatus.RETURNED,
    )
    context = {
        "r": rectification,
        "before_photos": queries.photos_of(rectification.deduction),
        "may_answer": may_answer and queries.answers_for_town(request.user, rectification),
        "may_verify": rectification.status == RectificationStatus.ANSWERED
        and queries.may_verify(request.user, rectification),
        "history": history_for(request.user, rectification),
    }
    return render(request, "campaigns/rectification_detail.html", context)


@login_required
@require_POST
def rectification_move(request, pk: int, move: str):
    rectification = policy.get_object_for_user_or_404(
        request.user, queries.rectifications_for(request.user), pk
    )
    text = request.POST.get("text", "")
    actions = {
        "answer": lambda: services.answer_rectification(rectification, actor=request.user, answer=text),
        "close": lambda: services.close_rectification(rectification, actor=request.user, verdict=text),
        "return": lambda: services.return_rectification(rectification, actor=request.user, verdict=text),
    }
    if move not in actions:
        raise PermissionDenied
    try:
        actions[move]()
    except ValidationError as exc:
        messages.error(request, _message(exc))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("无权执行此操作"))
    else:
        messages.success(request, _("已保存"))
    return redirect("campaigns:rectification", pk=rectification.pk)
