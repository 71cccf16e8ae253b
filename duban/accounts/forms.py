"""Forms for login, passwords, the second factor, users and grants. They validate; services write."""

from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.translation import gettext_lazy as _

from duban.org.models import Region, Unit

from .choices import Role
from .login import MAX_OTP, MAX_PASSWORD, MAX_USERNAME
from .models import User
from .validators import validate_multiline_text, validate_phone, validate_plain_text


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("用户名"),
        max_length=MAX_USERNAME,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("密码"),
        max_length=MAX_PASSWORD,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class OTPForm(forms.Form):
    code = forms.CharField(
        label=_("动态验证码"),
        max_length=MAX_OTP,
        help_text=_("打开手机上的身份验证器应用，输入显示的 6 位数字。"),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("原密码"),
        max_length=MAX_PASSWORD,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password1 = forms.CharField(
        label=_("新密码"),
        max_length=MAX_PASSWORD,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html,
    )
    new_password2 = forms.CharField(
        label=_("再次输入新密码"),
        max_length=MAX_PASSWORD,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", _("两次输入的新密码不一致"))
        return data


class OTPDisableForm(forms.Form):
    password = forms.CharField(
        label=_("当前密码"),
        max_length=MAX_PASSWORD,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class UserForm(forms.Form):
    """Create or edit an account. The unit list is limited to the administrator's scope."""

    username = forms.RegexField(
        label=_("用户名"),
        max_length=MAX_USERNAME,
        regex=r"^[A-Za-z0-9_.@+-]{3,}$",
        help_text=_("至少 3 位，可用字母、数字和 _ . @ + -，登录时使用"),
        error_messages={"invalid": _("用户名至少 3 位，只能包含字母、数字和 _ . @ + -")},
    )
    real_name = forms.CharField(label=_("姓名"), max_length=32, validators=[validate_plain_text])
    unit = forms.ModelChoiceField(label=_("所在单位"), queryset=Unit.objects.none(), required=False)
    title = forms.CharField(label=_("职务"), max_length=64, required=False, validators=[validate_plain_text])
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False, validators=[validate_phone])
    email = forms.EmailField(label=_("电子邮箱"), max_length=254, required=False)

    def __init__(self, *args, actor, editing: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.visible_to(actor).select_related("region")  # type: ignore[attr-defined]
        if editing is not None:
            del self.fields["username"]  # the login name never changes: audit entries refer to it


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), max_length=64, required=False)
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none(), required=False)
    role = forms.ChoiceField(label=_("角色"), choices=[("", _("全部角色")), *Role.choices], required=False)
    active = forms.ChoiceField(
        label=_("状态"),
        choices=[("", _("全部")), ("1", _("启用")), ("0", _("停用"))],
        required=False,
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.visible_to(actor)  # type: ignore[attr-defined]


class UserChoiceField(forms.ModelChoiceField):
    """Names repeat in a county: show the login name and unit beside the real name."""

    def label_from_instance(self, obj) -> str:
        unit = f" · {obj.unit.name}" if obj.unit_id else ""
        return f"{obj.display_name}（{obj.username}）{unit}"


class GrantForm(forms.Form):
    user = UserChoiceField(label=_("用户"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    unit = forms.ModelChoiceField(
        label=_("范围(单位)"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("单位主要负责人、单位联络员的范围是一个单位"),
    )
    region = forms.ModelChoiceField(
        label=_("范围(区划)"),
        queryset=Region.objects.none(),
        required=False,
        help_text=_("其他角色的范围是一个区划（含下级）"),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        users = User.objects.visible_to(actor).filter(is_active=True).select_related("unit")
        self.fields["user"].queryset = users  # type: ignore[attr-defined]
        self.fields["unit"].queryset = Unit.objects.visible_to(actor).select_related("region")
        self.fields["region"].queryset = Region.objects.visible_to(actor)


class GrantFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索用户"), max_length=64, required=False)
    role = forms.ChoiceField(label=_("角色"), choices=[("", _("全部角色")), *Role.choices], required=False)
    state = forms.ChoiceField(
        label=_("状态"),
        choices=[("active", _("有效")), ("revoked", _("已撤销")), ("all", _("全部"))],
        required=False,
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_multiline_text],
        error_messages={"required": _("请填写理由")},
    )

    def clean_reason(self):
        value = self.cleaned_data["reason"].strip()
        if not value:
            raise forms.ValidationError(_("请填写理由"))
        return value
