"""Every kind of audit entry. Add new kinds here (one line each); values never change."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.TextChoices):
    # security
    LOGIN = "auth.login", _("登录")
    LOGIN_FAILED = "auth.login_failed", _("登录失败")
    LOCKOUT = "auth.lockout", _("账号锁定")
    LOGOUT = "auth.logout", _("退出登录")
    PASSWORD_CHANGED = "auth.password_changed", _("修改密码")
    PASSWORD_RESET = "auth.password_reset", _("重置密码")
    OTP_ENABLED = "auth.otp_enabled", _("启用双因素认证")
    OTP_DISABLED = "auth.otp_disabled", _("停用双因素认证")
    TOKEN_ISSUED = "auth.token_issued", _("签发接口令牌")
    TOKEN_REVOKED = "auth.token_revoked", _("撤销接口令牌")
    # accounts and grants
    USER_CREATED = "user.created", _("新建用户")
    USER_CHANGED = "user.changed", _("修改用户")
    USER_DEACTIVATED = "user.deactivated", _("停用用户")
    USER_ACTIVATED = "user.activated", _("启用用户")
    GRANT_CREATED = "grant.created", _("授予角色")
    GRANT_REVOKED = "grant.revoked", _("撤销角色")
    # organisation
    REGION_CREATED = "region.created", _("新建区划")
    REGION_CHANGED = "region.changed", _("修改区划")
    UNIT_CREATED = "unit.created", _("新建单位")
    UNIT_CHANGED = "unit.changed", _("修改单位")
    UNIT_DEACTIVATED = "unit.deactivated", _("停用单位")
    UNIT_ACTIVATED = "unit.activated", _("启用单位")
    # platform
    CONFIG_CHANGED = "config.changed", _("修改配置")
    EXPORT = "data.exported", _("导出数据")
    IMPORT = "data.imported", _("导入数据")
    BACKUP = "system.backup", _("备份")
    RESTORE = "system.restore", _("恢复")
    AUDIT_EXPORTED = "audit.exported", _("导出审计日志")
    AUDIT_PURGED = "audit.purged", _("清理审计日志")
    DEMO_LOADED = "system.demo_loaded", _("生成演示数据")
    CALENDAR_CHANGED = "calendar.changed", _("调整工作日历")
    JOB_STARTED = "job.started", _("启动后台任务")
    NOTIFICATION_SETTINGS_CHANGED = "notification.settings_changed", _("修改通知设置")
    ATTACHMENT_ADDED = "attachment.added", _("上传附件")
    ATTACHMENT_REMOVED = "attachment.removed", _("删除附件")
    ATTACHMENT_DOWNLOADED = "attachment.downloaded", _("下载附件")
    # supervised tasks
    MEETING_CREATED = "meeting.created", _("登记会议")
    INSTRUCTION_CREATED = "instruction.created", _("登记领导批示")
    TASK_CREATED = "task.created", _("新建督办事项")
    TASK_CHANGED = "task.changed", _("修改督办事项")
    TASK_ASSIGNED = "task.assigned", _("交办督办事项")
    TASK_ACCEPTED = "task.accepted", _("签收督办事项")
    TASK_FEEDBACK = "task.feedback", _("反馈督办事项")
    TASK_COMMENTED = "task.commented", _("批注督办事项")
    TASK_COMPLETION_REQUESTED = "task.completion_requested", _("申请办结")
    TASK_CLOSED = "task.closed", _("办结督办事项")
    TASK_RETURNED = "task.returned", _("退回督办事项")
    TASK_SUSPENDED = "task.suspended", _("暂停督办事项")
    TASK_RESUMED = "task.resumed", _("恢复督办事项")
    TASK_CANCELLED = "task.cancelled", _("撤销督办事项")
    TASK_CHASED = "task.chased", _("催办督办事项")
    TASK_NODE_DONE = "task.node_done", _("完成时间节点")
    EXTENSION_REQUESTED = "task.extension_requested", _("申请延期")
    EXTENSION_APPROVED = "task.extension_approved", _("同意延期")
    EXTENSION_REFUSED = "task.extension_refused", _("不同意延期")


class Outcome(models.TextChoices):
    SUCCESS = "success", _("成功")
    FAILURE = "failure", _("失败")
    DENIED = "denied", _("拒绝")
