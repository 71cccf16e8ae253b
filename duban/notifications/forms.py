from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import WebhookFlavor, WebhookFormat


class ChannelSettingsForm(forms.Form):
    email_enabled = forms.BooleanField(label=_("通过电子邮件接收通知"), required=False)
    email = forms.EmailField(
        label=_("接收邮箱"), required=False, help_text=_("留空则使用账号登记的邮箱"), max_length=254
    )
    webhook_enabled = forms.BooleanField(label=_("通过群机器人接收通知"), required=False)
    webhook_flavor = forms.ChoiceField(label=_("机器人类型"), choices=WebhookFlavor.choices)
    webhook_format = forms.ChoiceField(label=_("消息格式"), choices=WebhookFormat.choices)
    webhook_url = forms.URLField(
        label=_("机器人 Webhook 地址"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("钉钉或企业微信群机器人的地址；内网部署时填写本单位消息网关的地址"),
    )
    webhook_secret = forms.CharField(
        label=_("加签密钥（钉钉）"),
        required=False,
        max_length=128,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("留空则保持原密钥不变"),
    )
    clear_secret = forms.BooleanField(label=_("清除加签密钥"), required=False)

    def settings_values(self) -> dict:
        data = dict(self.cleaned_data)
        clear = data.pop("clear_secret")
        if clear:
            data["webhook_secret"] = ""
        elif not data["webhook_secret"]:
            del data["webhook_secret"]
        return data
