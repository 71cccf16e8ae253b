"""Programmes under /api/v1/programmes: list and the progress of one programme."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Schema

from duban.accounts import policy
from duban.org.api import ERRORS

from . import programmes
from .api import router


class PlanStepOut(Schema):
    id: int
    step: str
    planned_date: datetime.date
    actual_date: datetime.date | None
    light: str

    @staticmethod
    def resolve_light(obj) -> str:
        return obj.light.colour


class ProgrammeProjectOut(Schema):
    id: int
    name: str
    light: str
    completion_rate: Decimal | None
    open_problems: int

    @staticmethod
    def resolve_completion_rate(obj) -> Decimal | None:
        return obj.rate


class ProgrammeOut(Schema):
    id: int
    name: str
    headquarters_id: int
    leader_id: int | None
    description: str


class ProgrammeDetail(ProgrammeOut):
    member_ids: list[int]
    steps: list[PlanStepOut]
    projects: list[ProgrammeProjectOut]
    total_investment: Decimal
    year_plan: Decimal
    year_done: Decimal
    year_rate: Decimal | None


@router.get("/programmes", response=list[ProgrammeOut], summary="片区开发")
def list_programmes(request):
    return list(programmes.programmes_for(request.user).order_by("name"))


@router.get("/programmes/{programme_id}", response={200: ProgrammeDetail, **ERRORS}, summary="片区开发进展")
def get_programme(request, programme_id: int):
    programme = policy.get_object_for_user_or_404(
        request.user, programmes.programmes_for(request.user), programme_id
    )
    figures = programmes.progress(request.user, programme)
    return {
        "id": programme.pk,
        "name": programme.name,
        "headquarters_id": programme.headquarters_id,
        "leader_id": programme.leader_id,
        "description": programme.description,
        "member_ids": [u.pk for u in figures["members"]],
        **{
            k: figures[k]
            for k in ("steps", "projects", "total_investment", "year_plan", "year_done", "year_rate")
        },
    }
