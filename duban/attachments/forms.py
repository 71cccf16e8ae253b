from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import AttachmentKind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name; cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data] or [single(None, initial)]
        return [single(data, initial)]


class UploadForm(forms.Form):
    uploads = MultipleFileField(label=_("选择文件"), error_messages={"required": _("请选择要上传的文件")})
    kind = forms.ChoiceField(
        label=_("类别"), choices=AttachmentKind.choices, initial=AttachmentKind.OTHER, required=False
    )


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("删除理由"), max_length=500, error_messages={"required": _("请填写删除理由")}
    )
