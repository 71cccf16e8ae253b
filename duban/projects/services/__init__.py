"""Every write of the projects app: one transaction each, policy checked, audited."""

from .milestones import (
    add_milestone,
    approve_move,
    reach_milestone,
    refuse_move,
    request_move,
    set_planned_date,
)
from .problems import answer_problem, assign_problem, close_out_problem, raise_problem, return_problem
from .projects import (
    assign_steward,
    confirm_project,
    create_project,
    end_stewardship,
    refresh_light,
    refresh_lights,
    report_investment,
    update_project,
)
from .showcase import (
    add_criterion,
    add_gap,
    assess_readiness,
    convert_gap,
    create_showcase,
    score_rehearsal,
    update_criterion,
    update_showcase,
)

__all__ = [
    "add_criterion",
    "add_gap",
    "add_milestone",
    "answer_problem",
    "approve_move",
    "assess_readiness",
    "assign_problem",
    "assign_steward",
    "close_out_problem",
    "confirm_project",
    "convert_gap",
    "create_project",
    "create_showcase",
    "end_stewardship",
    "raise_problem",
    "reach_milestone",
    "refresh_light",
    "refresh_lights",
    "refuse_move",
    "report_investment",
    "request_move",
    "return_problem",
    "score_rehearsal",
    "set_planned_date",
    "update_criterion",
    "update_project",
    "update_showcase",
]
