"""Models of key projects: the register, milestones, problems, the showcase tour, visits, reports."""

from .problem import Problem, ProblemAssignment
from .project import InvestmentReport, Milestone, MilestoneMove, Project, Stewardship

__all__ = [
    "InvestmentReport",
    "Milestone",
    "MilestoneMove",
    "Problem",
    "ProblemAssignment",
    "Project",
    "Stewardship",
]
