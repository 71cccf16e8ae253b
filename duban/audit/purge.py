"""Purging old audit entries: only entries older than 180 days, only through here.

The purge removes a *prefix of the chain*: the sealed entries, in seal order, up to the
first one created on or after the cut-off. In one transaction it writes a purge marker
(which the DELETE triggers require), deletes those entries and their seals, writes a keyed
checkpoint (last purged seq and chain value) from which `verify` resumes, removes the
marker and records AUDIT_PURGED. The triggers refuse any entry younger than 180 days even
while the marker exists, so a bug here cannot cut into the protected window.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from . import chain, keys
from .events import AuditEvent
from .guards import RETENTION_DAYS
from .models import AuditCheckpoint, AuditEntry, AuditPurgeMarker, AuditSeal
from .services import record

CHUNK = 500


@dataclass(frozen=True)
class PurgeResult:
    removed: int
    through_seq: int | None


def earliest_allowed_cutoff() -> datetime.date:
    """The latest `before` date a purge accepts: 180 days ago, in local time."""
    return timezone.localdate() - datetime.timedelta(days=RETENTION_DAYS)


def _cutoff(before: datetime.date) -> datetime.datetime:
    if before > earliest_allowed_cutoff():
        raise ValidationError(
            _("只能清理 %(days)d 天以前的审计记录(截止日期不得晚于 %(date)s)")
            % {"days": RETENTION_DAYS, "date": earliest_allowed_cutoff().isoformat()}
        )
    start_of_day = timezone.make_aware(datetime.datetime.combine(before, datetime.time.min))
    # The trigger's clock decides in the end; stay a minute clear of its boundary.
    limit = timezone.now() - datetime.timedelta(days=RETENTION_DAYS, minutes=1)
    return min(start_of_day, limit)


def _purgeable_prefix(start_seq: int, cutoff: datetime.datetime) -> tuple[list[int], AuditSeal | None]:
    """Entry ids of the leading seals whose entries are older than `cutoff`, and the last seal."""
    created = AuditEntry.objects.filter(pk=OuterRef("entry_id")).values("created_at")[:1]
    ids: list[int] = []
    last = None
    seals = (
        AuditSeal.objects.filter(seq__gt=start_seq).order_by("seq").annotate(entry_created=Subquery(created))
    )
    for seal in seals.iterator(chunk_size=2000):
        if seal.entry_created is None or seal.entry_created >= cutoff:
            break
        ids.append(seal.entry_id)
        last = seal
    return ids, last


def purge(before: datetime.date, *, actor=None) -> PurgeResult:
    """Remove sealed entries created before `before` (never within the last 180 days).

    Refused while the chain does not verify: a purge must not destroy the evidence of
    tampering.
    """
    cutoff = _cutoff(before)
    chain.seal_pending(lookback=None)
    result = chain.verify()
    if not result.ok:
        raise ValidationError(_("审计链校验未通过,不能清理:%s") % result.problems[0].message)
    with transaction.atomic():
        chain._lock_sealer()
        start_seq, _start_chain = chain._start()
        ids, last = _purgeable_prefix(start_seq, cutoff)
        if last is not None:
            key = keys.load_key(create=False)
            AuditPurgeMarker.objects.create()
            for i in range(0, len(ids), CHUNK):
                AuditEntry.objects.filter(pk__in=ids[i : i + CHUNK]).delete()
            AuditSeal.objects.filter(seq__lte=last.seq).delete()
            cp = AuditCheckpoint(
                before=cutoff, through_seq=last.seq, chain=last.chain, entries_removed=len(ids), mac=""
            )
            cp.mac = chain.checkpoint_mac(key, cp)
            cp.save()
            AuditPurgeMarker.objects.all().delete()
        record(
            AuditEvent.AUDIT_PURGED,
            actor=actor,
            description=_("审计日志"),
            changes={"before": [None, before.isoformat()], "removed": [None, len(ids)]},
            reason=_("清理 %(date)s 之前的审计记录 %(n)d 条") % {"date": before.isoformat(), "n": len(ids)},
        )
    return PurgeResult(removed=len(ids), through_seq=last.seq if last else None)
