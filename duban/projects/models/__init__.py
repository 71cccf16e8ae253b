"""Models of key projects: the register, milestones, problems, the showcase tour, visits, reports."""

from .land import LandQuota, LandRequest
from .problem import Problem, ProblemAssignment
from .programme import PlanMilestone, Programme
from .project import InvestmentReport, Milestone, MilestoneMove, Project, Stewardship
from .report import ProgressReport
from .showcase import ReadinessAssessment, RehearsalScore, Showcase, ShowcaseCriterion, ShowcaseGap
from .visit import SiteVisit, SiteVisitDecision, SiteVisitor

__all__ = [
    "InvestmentReport",
    "LandQuota",
    "LandRequest",
    "Milestone",
    "MilestoneMove",
    "PlanMilestone",
    "Problem",
    "ProblemAssignment",
    "Programme",
    "ProgressReport",
    "Project",
    "ReadinessAssessment",
    "RehearsalScore",
    "Showcase",
    "ShowcaseCriterion",
    "ShowcaseGap",
    "SiteVisit",
    "SiteVisitDecision",
    "SiteVisitor",
    "Stewardship",
]
