"""Where tasks come from: meetings (会议纪要) and leaders' instructions (领导批示), kept by the office."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duban import audit
from duban.audit.events import AuditEvent

from . import rules
from .choices import MeetingKind
from .models import Instruction, Meeting
from .services import _text

# --- sources -----------------------------------------------------------------------------------


def _office_region(actor, region):
    from duban.accounts import policy
    from duban.accounts.choices import Role
    from duban.org.models import Region

    if region is None:
        paths = sorted(policy.grants_of(actor).paths({Role.SUPERVISION_OFFICE}))
        region = Region.objects.filter(path__in=paths[:1]).first()
    if region is None:
        raise PermissionDenied(_("只有督查室可以执行此操作"))
    rules.require_office(actor, region)
    return region


@transaction.atomic
def create_meeting(
    *,
    actor,
    name: str,
    kind: str,
    date: datetime.date,
    chair=None,
    attendees: str = "",
    minutes: str = "",
    region=None,
) -> Meeting:
    region = _office_region(actor, region)
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": [_("请选择会议类型")]})
    if date is None:
        raise ValidationError({"date": [_("请填写会议日期")]})
    rules.check_leader(chair, region, "chair")
    meeting = Meeting(
        region=region,
        name=_text(name, "name", _("请填写会议名称"), 120),
        kind=kind,
        date=date,
        chair=chair,
        attendees=(attendees or "").strip(),
        minutes=(minutes or "").strip(),
        created_by=actor,
    )
    meeting.full_clean()
    meeting.save()
    fields = ["name", "kind", "date", "chair"]
    audit.record(
        AuditEvent.MEETING_CREATED,
        actor=actor,
        target=meeting,
        changes=audit.diff({}, audit.snapshot(meeting, fields)),
    )
    return meeting


@transaction.atomic
def create_instruction(*, actor, leader, date: datetime.date, text: str, region=None) -> Instruction:
    region = _office_region(actor, region)
    if leader is None:
        raise ValidationError({"leader": [_("请选择批示领导")]})
    rules.check_leader(leader, region, "leader")
    if date is None:
        raise ValidationError({"date": [_("请填写批示日期")]})
    instruction = Instruction(
        region=region,
        leader=leader,
        date=date,
        text=_text(text, "text", _("请填写批示内容")),
        created_by=actor,
    )
    instruction.save()
    audit.record(
        AuditEvent.INSTRUCTION_CREATED,
        actor=actor,
        target=instruction,
        changes=audit.diff({}, audit.snapshot(instruction, ["leader", "date", "text"])),
    )
    return instruction


MEETING_FIELDS = ["name", "kind", "date", "chair", "attendees", "minutes"]


@transaction.atomic
def update_meeting(
    meeting: Meeting,
    *,
    actor,
    name: str,
    kind: str,
    date: datetime.date,
    chair=None,
    attendees: str = "",
    minutes: str = "",
) -> Meeting:
    """The office corrects a meeting's record; the tasks it produced keep their link."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    rules.require_office(actor, meeting.region)
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": [_("请选择会议类型")]})
    if date is None:
        raise ValidationError({"date": [_("请填写会议日期")]})
    rules.check_leader(chair, meeting.region, "chair")
    before = audit.snapshot(meeting, MEETING_FIELDS)
    meeting.name = _text(name, "name", _("请填写会议名称"), 120)
    meeting.kind, meeting.date, meeting.chair = kind, date, chair
    meeting.attendees, meeting.minutes = (attendees or "").strip(), (minutes or "").strip()
    changes = audit.diff(before, audit.snapshot(meeting, MEETING_FIELDS))
    if changes:
        meeting.save(update_fields=[*MEETING_FIELDS, "updated_at"])
        audit.record(AuditEvent.MEETING_CHANGED, actor=actor, target=meeting, changes=changes)
    return meeting


INSTRUCTION_FIELDS = ["leader", "date", "text"]


@transaction.atomic
def update_instruction(
    instruction: Instruction, *, actor, leader, date: datetime.date, text: str
) -> Instruction:
    instruction = Instruction.objects.select_for_update().get(pk=instruction.pk)
    rules.require_office(actor, instruction.region)
    if leader is None:
        raise ValidationError({"leader": [_("请选择批示领导")]})
    rules.check_leader(leader, instruction.region, "leader")
    if date is None:
        raise ValidationError({"date": [_("请填写批示日期")]})
    before = audit.snapshot(instruction, INSTRUCTION_FIELDS)
    instruction.leader, instruction.date = leader, date
    instruction.text = _text(text, "text", _("请填写批示内容"))
    changes = audit.diff(before, audit.snapshot(instruction, INSTRUCTION_FIELDS))
    if changes:
        instruction.save(update_fields=[*INSTRUCTION_FIELDS, "updated_at"])
        audit.record(AuditEvent.INSTRUCTION_CHANGED, actor=actor, target=instruction, changes=changes)
    return instruction
