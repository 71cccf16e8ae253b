"""Every write of the campaigns app: one function per action, audited in the same transaction."""

from .campaigns import (
    add_group_member,
    add_time_node,
    add_town,
    create_campaign,
    create_score_sheet,
    launch_campaign,
    move_time_node,
)
from .inspections import create_round, publish_ranking, score_site, submit_score
from .quantities import add_work_item, report_quantity, set_plans
from .rectifications import (
    answer_rectification,
    chase_overdue,
    close_rectification,
    issue_rectification,
    return_rectification,
)
from .sanctions import (
    add_sanction,
    add_sanction_rule,
    adjust_sanction,
    approve_sanctions,
    propose_sanctions,
    publish_sanctions,
)

__all__ = [
    "add_group_member",
    "add_sanction",
    "add_sanction_rule",
    "add_time_node",
    "add_town",
    "add_work_item",
    "adjust_sanction",
    "answer_rectification",
    "approve_sanctions",
    "chase_overdue",
    "close_rectification",
    "create_campaign",
    "create_round",
    "create_score_sheet",
    "issue_rectification",
    "launch_campaign",
    "move_time_node",
    "propose_sanctions",
    "publish_ranking",
    "publish_sanctions",
    "report_quantity",
    "return_rectification",
    "score_site",
    "set_plans",
    "submit_score",
]
