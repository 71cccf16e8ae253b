"""One small form per move on the task page; files come from request.FILES["files"]."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Rating

TEXT = forms.Textarea(attrs={"rows": 3})


class FeedbackForm(forms.Form):
    text = forms.CharField(label=_("进展情况"), max_length=5000, widget=TEXT)
    progress = forms.IntegerField(label=_("进度(%)"), min_value=0, max_value=100, required=False)


class CompletionForm(forms.Form):
    text = forms.CharField(label=_("办结情况"), max_length=5000, widget=TEXT)


class CloseForm(forms.Form):
    timeliness = forms.TypedChoiceField(label=_("时效评价"), choices=Rating.choices, coerce=int)
    quality = forms.TypedChoiceField(label=_("质量评价"), choices=Rating.choices, coerce=int)
    note = forms.CharField(label=_("办结意见"), max_length=500, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=500, widget=TEXT)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), max_length=500, required=False)


class ExtensionForm(forms.Form):
    new_deadline = forms.DateField(label=_("申请延至"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("延期理由"), max_length=2000, widget=TEXT)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("批注"), max_length=5000, widget=TEXT)


class EmptyForm(forms.Form):
    pass
