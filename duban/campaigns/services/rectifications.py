"""Rectification orders: issued from a deduction, answered by the town with after-photos, verified
by the round's inspector (closed out or returned); overdue orders chased daily."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from duban import audit
from duban.accounts import policy
from duban.accounts.choices import Role
from duban.accounts.models import Grant
from duban.attachments.models import Attachment
from duban.audit.events import AuditEvent
from duban.core import calendar
from duban.notifications.services import notify

from ..choices import RECTIFICATION_MOVES, RectificationStatus, ScoreStatus
from ..models import Deduction, Rectification, SiteScore
from .common import in_county, required_text

FIELDS = ["status", "answer", "verdict"]
CHASE_KIND = "campaigns.rectification_overdue"


def town_people(unit_ids: set[int]) -> list:
    """The active heads and liaisons of the given town units (the people who answer orders)."""
    grants = Grant.objects.active().filter(
        unit__in=unit_ids, role__in=[Role.UNIT_LIAISON, Role.UNIT_HEAD], user__is_active=True
    )
    return [g.user for g in grants.select_related("user")]


def after_photo_count(rectification: Rectification) -> int:
    return Attachment.objects.filter(
        content_type__app_label="campaigns",
        content_type__model="rectification",
        object_id=str(rectification.pk),
        kind="photo",
        removed_at__isnull=True,
    ).count()


def is_verifier(rectification: Rectification, actor) -> bool:
    round_ = rectification.deduction.score.site.round
    return round_.inspectors.filter(pk=actor.pk).exists() or in_county(
        rectification.campaign.county, Role.SUPERVISION_OFFICE, actor
    )


def _move(rectification: Rectification, move: str) -> str:
    allowed, target = RECTIFICATION_MOVES[move]
    if rectification.status not in allowed:
        raise ValidationError(
            _("整改通知当前为“%(status)s”，不能执行此操作") % {"status": rectification.get_status_display()}
        )
    return target


@transaction.atomic
def issue_rectification(
    deduction: Deduction,
    *,
    actor,
    requirement: str,
    working_days: int = 5,
    today: datetime.date | None = None,
) -> Rectification:
    """Order the deduction's town to fix it within `working_days` working days."""
    # Read the score afresh: a caller's copy may predate its submission.
    score = SiteScore.objects.select_related("site__round__campaign__county", "site__village__town").get(
        pk=deduction.score_id
    )
    round_ = score.site.round
    if score.status != ScoreStatus.FINAL:
        raise ValidationError(_("点位得分提交后才能下达整改通知"))
    if score.inspector_id != actor.pk and not in_county(
        round_.campaign.county, Role.SUPERVISION_OFFICE, actor
    ):
        raise PermissionDenied(_("只有打分的检查人员或督查室可以下达整改通知"))
    if working_days is None or not 1 <= working_days <= 60:
        raise ValidationError({"working_days": [_("整改时限须为1至60个工作日")]})
    if Rectification.objects.filter(deduction=deduction).exists():
        raise ValidationError(_("该扣分已下达整改通知"))
    today = today or timezone.localdate()
    town = score.site.village.town
    rectification = Rectification.objects.create(
        deduction=deduction,
        campaign=round_.campaign,
        town=town,
        requirement=required_text(requirement, "requirement", _("请填写整改要求")),
        issued_by=actor,
        issued_on=today,
        working_days=working_days,
        due_date=calendar.add_working_days(today, working_days),
    )
    audit.record(
        AuditEvent.RECTIFICATION_ISSUED,
        actor=actor,
        target=rectification,
        parent=round_,
        changes={"due_date": [None, rectification.due_date], "town": [None, str(town)]},
    )
    url = reverse("campaigns:rectification", args=[rectification.pk])
    title = gettext("整改通知：%(site)s %(item)s") % {"site": score.site, "item": deduction.item}
    body = gettext("请于%(date)s前完成整改并上传整改后照片。") % {"date": rectification.due_date.isoformat()}
    recipients = town_people({town.unit_id})
    transaction.on_commit(
        lambda: notify(
            recipients,
            kind="campaigns.rectification_issued",
            title=title,
            body=body,
            url=url,
            target=rectification,
            key=f"campaigns.rectification_issued:{rectification.pk}",
        )
    )
    return rectification


@transaction.atomic
def answer_rectification(rectification: Rectification, *, actor, answer: str) -> Rectification:
    """The town reports the fix; after-photos (attachments of kind photo on the order) are required."""
    rectification = Rectification.objects.select_for_update().get(pk=rectification.pk)
    if not policy.grants_of(actor).units({Role.UNIT_HEAD, Role.UNIT_LIAISON}) & {rectification.town.unit_id}:
        raise PermissionDenied(_("只有责任镇街可以反馈整改情况"))
    target = _move(rectification, "answer")
    answer = required_text(answer, "answer", _("请填写整改情况"))
    if not after_photo_count(rectification):
        raise ValidationError({"photos": [_("请先上传整改后照片")]})
    before = audit.snapshot(rectification, FIELDS)
    rectification.status, rectification.answer, rectification.answered_at = target, answer, timezone.now()
    rectification.save(update_fields=["status", "answer", "answered_at", "updated_at"])
    audit.record(
        AuditEvent.RECTIFICATION_ANSWERED,
        actor=actor,
        target=rectification,
        changes=audit.diff(before, audit.snapshot(rectification, FIELDS)),
    )
    return rectification


def _verify(rectification: Rectification, *, actor, move: str, verdict: str, event: str) -> Rectification:
    rectification = Rectification.objects.select_for_update().get(pk=rectification.pk)
    if not is_verifier(rectification, actor):
        raise PermissionDenied(_("只有本轮检查人员或督查室可以核验整改"))
    target = _move(rectification, move)
    before = audit.snapshot(rectification, FIELDS)
    rectification.status, rectification.verdict = target, verdict
    fields = ["status", "verdict", "updated_at"]
    if target == RectificationStatus.CLOSED:
        rectification.closed_at, rectification.closed_by = timezone.now(), actor
        fields += ["closed_at", "closed_by"]
    rectification.save(update_fields=fields)
    audit.record(
        event,
        actor=actor,
        target=rectification,
        changes=audit.diff(before, audit.snapshot(rectification, FIELDS)),
        reason=verdict,
    )
    return rectification


@transaction.atomic
def close_rectification(rectification: Rectification, *, actor, verdict: str = "") -> Rectification:
    """The inspector verifies the fix and closes the order out (销号). Never without after-photos."""
    if not after_photo_count(rectification):
        raise ValidationError({"photos": [_("没有整改后照片，不能销号")]})
    return _verify(
        rectification,
        actor=actor,
        move="close",
        verdict=(verdict or "").strip(),
        event=AuditEvent.RECTIFICATION_CLOSED,
    )


@transaction.atomic
def return_rectification(rectification: Rectification, *, actor, verdict: str) -> Rectification:
    """The fix is not good enough: back to the town with the reason."""
    verdict = required_text(verdict, "verdict", _("退回须说明理由"))
    return _verify(
        rectification, actor=actor, move="return", verdict=verdict, event=AuditEvent.RECTIFICATION_RETURNED
    )


def chase_overdue(today: datetime.date | None = None) -> dict[str, int]:
    """Notify the town of every open order past its deadline, once a day (idempotent keys)."""
    today = today or timezone.localdate()
    late = list(
        Rectification.objects.filter(
            Q(status=RectificationStatus.OPEN) | Q(status=RectificationStatus.RETURNED), due_date__lt=today
        )
        .select_related("town__town", "deduction__item")
        .order_by("pk")
    )
    people: dict[int, list] = {}
    for user, unit_id in (
        (g.user, g.unit_id)
        for g in Grant.objects.active()
        .filter(unit__in={r.town.unit_id for r in late}, role__in=[Role.UNIT_LIAISON, Role.UNIT_HEAD])
        .select_related("user")
    ):
        people.setdefault(unit_id, []).append(user)
    sent = 0
    for rectification in late:
        days = calendar.working_days_between(rectification.due_date, today)
        title = gettext("整改逾期：%(town)s %(item)s") % {
            "town": rectification.town,
            "item": rectification.deduction.item,
        }
        body = gettext("整改期限%(date)s已过（逾期%(days)s个工作日），请立即整改并反馈。") % {
            "date": rectification.due_date.isoformat(),
            "days": days,
        }
        created = notify(
            people.get(rectification.town.unit_id, []),
            kind=CHASE_KIND,
            title=title,
            body=body,
            url=reverse("campaigns:rectification", args=[rectification.pk]),
            target=rectification,
            key=f"{CHASE_KIND}:{rectification.pk}:{today.isoformat()}",
        )
        if created:
            with transaction.atomic():
                audit.record(
                    AuditEvent.RECTIFICATION_CHASED,
                    actor=None,
                    actor_name=gettext("系统"),
                    target=rectification,
                    changes={"overdue_days": [None, days]},
                )
        sent += len(created)
    return {"overdue": len(late), "notifications": sent}
