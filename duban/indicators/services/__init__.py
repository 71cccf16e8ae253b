"""Every write of the indicators module (each one transaction with its audit entry)."""

from .catalogue import create_indicator, set_annual_target, set_period_plan, update_indicator
from .reporting import approve_value, correct_value, enter_value, return_value, submit_value, verify_value

__all__ = [
    "approve_value",
    "correct_value",
    "create_indicator",
    "enter_value",
    "return_value",
    "set_annual_target",
    "set_period_plan",
    "submit_value",
    "update_indicator",
    "verify_value",
]
