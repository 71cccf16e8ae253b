"""Every kind of audit entry. Add new kinds here (one line each); values never change."""

from django.db import models


class AuditEvent(models.TextChoices):
    # security
    LOGIN = "auth.login", "登录"
    LOGIN_FAILED = "auth.login_failed", "登录失败"
    LOCKOUT = "auth.lockout", "账号锁定"
    LOGOUT = "auth.logout", "退出登录"
    PASSWORD_CHANGED = "auth.password_changed", "修改密码"
    PASSWORD_RESET = "auth.password_reset", "重置密码"
    OTP_ENABLED = "auth.otp_enabled", "启用双因素认证"
    OTP_DISABLED = "auth.otp_disabled", "停用双因素认证"
    TOKEN_ISSUED = "auth.token_issued", "签发接口令牌"
    TOKEN_REVOKED = "auth.token_revoked", "撤销接口令牌"
    # accounts and grants
    USER_CREATED = "user.created", "新建用户"
    USER_CHANGED = "user.changed", "修改用户"
    USER_DEACTIVATED = "user.deactivated", "停用用户"
    USER_ACTIVATED = "user.activated", "启用用户"
    GRANT_CREATED = "grant.created", "授予角色"
    GRANT_REVOKED = "grant.revoked", "撤销角色"
    # organisation
    REGION_CREATED = "region.created", "新建区划"
    REGION_CHANGED = "region.changed", "修改区划"
    UNIT_CREATED = "unit.created", "新建单位"
    UNIT_CHANGED = "unit.changed", "修改单位"
    # platform
    CONFIG_CHANGED = "config.changed", "修改配置"
    EXPORT = "data.exported", "导出数据"
    IMPORT = "data.imported", "导入数据"
    BACKUP = "system.backup", "备份"
    RESTORE = "system.restore", "恢复"
    AUDIT_EXPORTED = "audit.exported", "导出审计日志"
    AUDIT_PURGED = "audit.purged", "清理审计日志"
    DEMO_LOADED = "system.demo_loaded", "生成演示数据"
    CALENDAR_CHANGED = "calendar.changed", "调整工作日历"
    JOB_STARTED = "job.started", "启动后台任务"
    NOTIFICATION_SETTINGS_CHANGED = "notification.settings_changed", "修改通知设置"
    ATTACHMENT_ADDED = "attachment.added", "上传附件"
    ATTACHMENT_REMOVED = "attachment.removed", "删除附件"
    ATTACHMENT_DOWNLOADED = "attachment.downloaded", "下载附件"


class Outcome(models.TextChoices):
    SUCCESS = "success", "成功"
    FAILURE = "failure", "失败"
    DENIED = "denied", "拒绝"
