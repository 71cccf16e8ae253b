"""Lead stages, the one table of allowed moves, and the other choices of investment attraction."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    INFORMATION = "information", _("项目信息")
    CONTACTED = "contacted", _("接洽")
    VISITED = "visited", _("考察")
    NEGOTIATING = "negotiating", _("洽谈")
    SIGNED = "signed", _("签约")
    LANDED = "landed", _("落地注册")
    STARTED = "started", _("开工")
    PRODUCING = "producing", _("投产")
    SHELVED = "shelved", _("搁置")
    LOST = "lost", _("流失")


# The pipeline in order; shelved and lost sit outside it.
PIPELINE: list[str] = [
    Stage.INFORMATION,
    Stage.CONTACTED,
    Stage.VISITED,
    Stage.NEGOTIATING,
    Stage.SIGNED,
    Stage.LANDED,
    Stage.STARTED,
    Stage.PRODUCING,
]
RANK = {stage: i for i, stage in enumerate(PIPELINE)}
# Stages still being worked on: they are chased when nobody follows them up.
ACTIVE = frozenset(PIPELINE[:-1])
BEFORE_SIGNING = frozenset(PIPELINE[: RANK[Stage.SIGNED]])
# Each pipeline stage past the first keeps the date it was reached in this field of Lead.
DATE_FIELD: dict[str, str] = {
    Stage.CONTACTED: "contacted_on",
    Stage.VISITED: "visited_on",
    Stage.NEGOTIATING: "negotiating_on",
    Stage.SIGNED: "signed_on",
    Stage.LANDED: "landed_on",
    Stage.STARTED: "started_on",
    Stage.PRODUCING: "producing_on",
}


class Evidence(models.TextChoices):
    NONE = "", _("无")
    CONTRACT = "contract", _("合同")
    PROOF = "proof", _("证明材料")


@dataclass(frozen=True)
class Move:
    """One allowed move: its action name (URL and API segment), where from, where to, what it needs."""

    action: str
    label: str
    sources: frozenset[str]
    target: str  # a stage; "" for the two moves whose target is chosen (step back, resume)
    evidence: str = Evidence.NONE
    needs_reason: bool = False


def _m(action, label, sources, target="", evidence=Evidence.NONE, needs_reason=False) -> Move:
    return Move(action, str(label), frozenset(sources), target, evidence, needs_reason)


# THE transition table: one service and one button/endpoint per row.
MOVES: dict[str, Move] = {
    m.action: m
    for m in [
        _m("contact", _("接洽"), {Stage.INFORMATION}, Stage.CONTACTED),
        _m("visit", _("考察"), {Stage.CONTACTED}, Stage.VISITED),
        # A site visit is not always needed before talks start.
        _m("negotiate", _("洽谈"), {Stage.CONTACTED, Stage.VISITED}, Stage.NEGOTIATING),
        _m("sign", _("签约"), {Stage.NEGOTIATING}, Stage.SIGNED, Evidence.CONTRACT),
        _m("land", _("落地注册"), {Stage.SIGNED}, Stage.LANDED, Evidence.PROOF),
        _m("start", _("开工"), {Stage.LANDED}, Stage.STARTED, Evidence.PROOF),
        _m("produce", _("投产"), {Stage.STARTED}, Stage.PRODUCING, Evidence.PROOF),
        _m("shelve", _("搁置"), ACTIVE, Stage.SHELVED, needs_reason=True),
        _m("lose", _("流失"), ACTIVE | {Stage.SHELVED}, Stage.LOST, needs_reason=True),
        # Back to the stage it was shelved from.
        _m("resume", _("恢复跟进"), {Stage.SHELVED}),
        # Backwards to any earlier pipeline stage: always with a reason.
        _m("step_back", _("退回"), set(PIPELINE[1:]), needs_reason=True),
    ]
}


def moves_from(stage: str) -> list[Move]:
    return [m for m in MOVES.values() if stage in m.sources]


class Industry(models.TextChoices):
    MANUFACTURING = "manufacturing", _("先进制造")
    NEW_ENERGY = "new_energy", _("新能源")
    NEW_MATERIALS = "new_materials", _("新材料")
    BIOMEDICINE = "biomedicine", _("生物医药")
    AGRICULTURE = "agriculture", _("现代农业与食品")
    ELECTRONICS = "electronics", _("电子信息")
    LOGISTICS = "logistics", _("现代物流")
    TOURISM = "tourism", _("文化旅游")
    SERVICES = "services", _("现代服务业")
    OTHER = "other", _("其他")


class SourceType(models.TextChoices):
    CAMPAIGN = "campaign", _("全民招商")
    PROFESSIONAL = "professional", _("专业招商")
    REFERRAL = "referral", _("以商招商")
    EVENT = "event", _("会展活动")


class FollowUpKind(models.TextChoices):
    CALL = "call", _("电话联系")
    VISIT = "visit", _("走访")
    MEETING = "meeting", _("会谈")
    NEGOTIATION = "negotiation", _("谈判")
    OTHER = "other", _("其他")


class CountMode(models.TextChoices):
    """How a lead counts after a duplicate claim is settled."""

    FULL = "full", _("计入")
    CREDIT = "credit", _("仅计入本单位（共享成绩）")
    NONE = "none", _("不计入（重复）")


class ClaimStatus(models.TextChoices):
    OPEN = "open", _("待裁定")
    SETTLED = "settled", _("已裁定")
    DISMISSED = "dismissed", _("非重复")


class TargetBasis(models.TextChoices):
    SOURCE = "source", _("按引进单位")
    LOCATION = "location", _("按落地镇街园区")
