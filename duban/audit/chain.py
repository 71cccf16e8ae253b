"""The keyed hash chain over the audit trail, kept off the writers' critical path.

Writers only INSERT entries (duban.audit.record). A sealer, run every minute by the job
scheduler and before every `duban audit verify`, takes the entries that are a few seconds
old and not yet sealed, in id order, and appends one AuditSeal per entry:

    chain(seq) = HMAC-SHA256(key, chain(seq-1) || canonical_json(entry))

The chain order is the order of sealing, not of ids: a PostgreSQL transaction can commit an
entry with a smaller id after larger ones were sealed; it is simply sealed in a later batch.
After each batch the head (last seq, chain value, entry id) goes to a file beside the key,
so that removing the newest entries together with their seals is still detected.

`verify()` walks the seals from the last purge checkpoint and names the first problem.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from . import guards, keys
from .models import AuditCheckpoint, AuditEntry, AuditSeal

# The fields a seal covers. Fixed on purpose: adding a field to AuditEntry must not change
# the digest of entries sealed before (a test fails when a new field is not listed here or
# in NOT_CHAINED, to force the decision).
CHAIN_FIELDS = (
    "id",
    "created_at",
    "event",
    "outcome",
    "actor_id",
    "actor_name",
    "actor_role",
    "actor_unit",
    "target_type",
    "target_id",
    "target_repr",
    "parent_type",
    "parent_id",
    "changes",
    "reason",
    "request_id",
    "address",
    "source",
)
NOT_CHAINED: tuple[str, ...] = ()
GENESIS = "0" * 64
BATCH = 1000
MIN_AGE = datetime.timedelta(seconds=5)
LOOKBACK = datetime.timedelta(days=2)
UNSEALED_GRACE = datetime.timedelta(minutes=10)
SEALER_LOCK = 0x6475_6261_6E41  # pg_advisory_xact_lock id: "dubanA"


def canonical(row: dict[str, Any]) -> bytes:
    """The bytes a seal covers: sorted keys, no spaces, UTC time with microseconds."""
    data = {name: row[name] for name in CHAIN_FIELDS}
    data["created_at"] = row["created_at"].astimezone(datetime.UTC).isoformat(timespec="microseconds")
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def link(key: bytes, previous: str, data: bytes) -> str:
    return hmac.new(key, bytes.fromhex(previous) + data, hashlib.sha256).hexdigest()


def checkpoint_mac(key: bytes, cp: AuditCheckpoint) -> str:
    before = cp.before.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    message = f"checkpoint|{cp.through_seq}|{cp.chain}|{cp.entries_removed}|{before}"
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def _start() -> tuple[int, str]:
    """Where the chain begins: after the latest purge checkpoint, or at the genesis."""
    cp = AuditCheckpoint.objects.order_by("-through_seq").first()
    return (cp.through_seq, cp.chain) if cp else (0, GENESIS)


def _lock_sealer() -> None:
    # SQLite: the IMMEDIATE transaction already holds the database's only write lock.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEALER_LOCK])


# --- sealing ----------------------------------------------------------------------------------


def _candidates(limit: int, min_age: datetime.timedelta, lookback: datetime.timedelta | None) -> list[dict]:
    now = timezone.now()
    qs = AuditEntry.objects.filter(created_at__lte=now - min_age).filter(
        ~Exists(AuditSeal.objects.filter(entry_id=OuterRef("pk")))
    )
    if lookback is not None:
        qs = qs.filter(created_at__gte=now - lookback)
    return list(qs.order_by("id").values(*CHAIN_FIELDS)[:limit])


def _seal_batch(rows: list[dict], key: bytes) -> int:
    """Append seals for `rows` in one short transaction. The candidates were read outside it,
    so the write lock (on SQLite: the whole database) is held only to append."""
    with transaction.atomic():
        _lock_sealer()
        taken = set(
            AuditSeal.objects.filter(entry_id__in=[r["id"] for r in rows]).values_list("entry_id", flat=True)
        )
        rows = [r for r in rows if r["id"] not in taken]
        if not rows:
            return 0
        last = AuditSeal.objects.order_by("-seq").values_list("seq", "chain").first()
        seq, chain = last if last else _start()
        now = timezone.now()
        seals = []
        for row in rows:
            data = canonical(row)
            seq, chain = seq + 1, link(key, chain, data)
            seals.append(
                AuditSeal(seq=seq, entry_id=row["id"], digest=digest(data), chain=chain, sealed_at=now)
            )
        AuditSeal.objects.bulk_create(seals)
        head = keys.Head(seq=seq, chain=chain, entry_id=rows[-1]["id"])
        transaction.on_commit(lambda: keys.write_head(head))
    return len(seals)


def seal_pending(
    max_rows: int = 50_000,
    *,
    min_age: datetime.timedelta = MIN_AGE,
    lookback: datetime.timedelta | None = LOOKBACK,
) -> int:
    """Seal entries older than `min_age`; returns how many were sealed.

    `lookback` bounds the search for unsealed entries to recent ones (cheap enough to run
    every minute); None searches the whole table (done by `duban audit seal` and `verify`).
    """
    total = 0
    key: bytes | None = None
    while total < max_rows:
        rows = _candidates(min(BATCH, max_rows - total), min_age, lookback)
        if not rows:
            break
        if key is None:
            key = keys.load_key(
                create=not AuditSeal.objects.exists() and not AuditCheckpoint.objects.exists()
            )
        sealed = _seal_batch(rows, key)
        total += sealed
        if sealed == 0 or len(rows) < BATCH:
            break
    return total


def reset_head() -> keys.Head | None:
    """Trust the database's last seal as the head (after restoring a backup, on purpose)."""
    last = AuditSeal.objects.order_by("-seq").first()
    if last is None:
        keys.head_path().unlink(missing_ok=True)
        return None
    head = keys.Head(seq=last.seq, chain=last.chain, entry_id=last.entry_id)
    keys.write_head(head, force=True)
    return head


# --- verification -----------------------------------------------------------------------------

EDITED, REMOVED, SEAL_MISSING = "edited", "removed", "seal_missing"
HEAD_MISMATCH, UNSEALED, GUARDS_MISSING = "head_mismatch", "unsealed", "guards_missing"
CHECKPOINT_INVALID, KEY_MISSING = "checkpoint_invalid", "key_missing"


@dataclass(frozen=True)
class Problem:
    what: str
    entry_id: int | None = None
    seq: int | None = None
    detail: str = ""

    @property
    def message(self) -> str:
        """One line in Chinese, naming the entry where one is known."""
        n, seq = self.entry_id, self.seq
        texts = {
            EDITED: _("第 %(n)s 条审计记录被篡改"),
            REMOVED: _("第 %(n)s 条审计记录被删除"),
            SEAL_MISSING: _("第 %(n)s 条审计记录的封存被删除"),
            HEAD_MISMATCH: _("封存链头与数据库不符"),
            UNSEALED: _("第 %(n)s 条审计记录超过时限仍未封存"),
            GUARDS_MISSING: _("数据库防篡改触发器缺失"),
            CHECKPOINT_INVALID: _("清理检查点校验失败(检查点可能被伪造)"),
            KEY_MISSING: _("审计密钥缺失,无法校验"),
        }
        if self.what == SEAL_MISSING and n is None:
            text = _("封存序号 %(seq)s 的审计记录及其封存被删除")
        else:
            text = texts[self.what]
        line = text % {"n": n, "seq": seq}
        return f"{line}:{self.detail}" if self.detail else line


@dataclass
class VerifyResult:
    checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    head_seq: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def problem(self) -> Problem | None:
        return self.problems[0] if self.problems else None


def _seals_after(seq: int, chunk: int = 2000) -> Iterator[tuple[AuditSeal, dict | None]]:
    """Seals in order with their entries (None when the entry is gone), chunk by chunk."""
    while True:
        seals = list(AuditSeal.objects.filter(seq__gt=seq).order_by("seq")[:chunk])
        if not seals:
            return
        found = AuditEntry.objects.filter(id__in=[s.entry_id for s in seals]).values(*CHAIN_FIELDS)
        entries = {row["id"]: row for row in found}
        for seal in seals:
            yield seal, entries.get(seal.entry_id)
        seq = seals[-1].seq


def _walk(key: bytes, result: VerifyResult) -> AuditSeal | None:
    """Check every seal after the checkpoint; returns the last seal seen."""
    start_seq, previous = _start()
    expected, last = start_seq + 1, None
    for seal, row in _seals_after(start_seq):
        chain_known = seal.seq == expected
        if not chain_known:
            result.problems.append(Problem(SEAL_MISSING, seq=expected))
        if row is None:
            result.problems.append(Problem(REMOVED, entry_id=seal.entry_id, seq=seal.seq))
        else:
            data = canonical(row)
            if digest(data) != seal.digest or (chain_known and link(key, previous, data) != seal.chain):
                result.problems.append(Problem(EDITED, entry_id=seal.entry_id, seq=seal.seq))
        previous, expected, last = seal.chain, seal.seq + 1, seal
        result.checked += 1
    return last


def _check_head(last: AuditSeal | None, result: VerifyResult) -> None:
    head = keys.read_head()
    if head is None:
        if last is not None:
            result.problems.append(Problem(HEAD_MISMATCH, detail=_("链头文件 %s 不存在") % keys.head_path()))
        return
    result.head_seq = head.seq
    if last is None or last.seq < head.seq:
        gone = not AuditEntry.objects.filter(pk=head.entry_id).exists()
        detail = _("封存序号 %(a)s 至 %(b)s 已不存在") % {"a": (last.seq + 1) if last else 1, "b": head.seq}
        what = REMOVED if gone else SEAL_MISSING
        result.problems.append(Problem(what, entry_id=head.entry_id, seq=head.seq, detail=detail))
        return
    at_head = last if last.seq == head.seq else AuditSeal.objects.filter(seq=head.seq).first()
    if at_head is None or at_head.chain != head.chain:
        result.problems.append(Problem(HEAD_MISMATCH, seq=head.seq))


def unsealed_problem(grace: datetime.timedelta = UNSEALED_GRACE) -> Problem | None:
    """The first entry older than `grace` without a seal (an inserted row, a stopped sealer).

    `duban audit verify` asks this *before* it seals, so such entries are reported even
    though the same run then seals them.
    """
    old = AuditEntry.objects.filter(created_at__lt=timezone.now() - grace).filter(
        ~Exists(AuditSeal.objects.filter(entry_id=OuterRef("pk")))
    )
    first = old.order_by("id").values_list("id", flat=True).first()
    if first is None:
        return None
    minutes = int(grace.total_seconds() // 60)
    detail = _("超过 %(m)d 分钟未封存的共 %(c)d 条") % {"m": minutes, "c": old.count()}
    return Problem(UNSEALED, entry_id=first, detail=detail)


def verify(*, unsealed_grace: datetime.timedelta = UNSEALED_GRACE) -> VerifyResult:
    """Check the whole trail: every seal, the head file, stragglers and the guards.

    Problems are listed in chain order; `result.problem` is the first one.
    """
    result = VerifyResult()
    has_chain = AuditSeal.objects.exists() or AuditCheckpoint.objects.exists()
    try:
        key = keys.load_key(create=False)
    except keys.KeyMissing as exc:
        if has_chain:
            result.problems.append(Problem(KEY_MISSING, detail=str(exc)))
            return result
        key = b""
    cp = AuditCheckpoint.objects.order_by("-through_seq").first()
    if cp is not None and not hmac.compare_digest(cp.mac, checkpoint_mac(key, cp)):
        result.problems.append(Problem(CHECKPOINT_INVALID, seq=cp.through_seq))
    last = _walk(key, result)
    _check_head(last, result)
    straggler = unsealed_problem(unsealed_grace)
    if straggler is not None:
        result.problems.append(straggler)
    absent = guards.missing(connection)
    if absent:
        result.problems.append(Problem(GUARDS_MISSING, detail=", ".join(absent)))
    return result
