"""Forms of the projects pages. Status is never a form field: transitions have their own buttons."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from duban.org.models import Region, Unit

from .choices import ProblemKind


def county_units(user, county: Region):
    return Unit.objects.visible_to(user).filter(region__path__startswith=county.path, is_active=True)


class UnitsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.short_name or obj.name


class AssignForm(forms.Form):
    units = UnitsField(label=_("责任单位"), queryset=Unit.objects.none(), widget=forms.SelectMultiple)
    working_days = forms.IntegerField(
        label=_("办结时限(工作日)"), min_value=1, max_value=250, initial=5, help_text=_("按法定工作日计算")
    )

    def __init__(self, *args, user, county: Region, **kwargs):
        super().__init__(*args, **kwargs)
        units = self.fields["units"]
        assert isinstance(units, forms.ModelMultipleChoiceField)
        units.queryset = county_units(user, county)


class ProblemForm(AssignForm):
    kind = forms.ChoiceField(label=_("问题类型"), choices=ProblemKind.choices)
    title = forms.CharField(label=_("问题"), max_length=100)
    description = forms.CharField(label=_("具体情况"), required=False, max_length=2000, widget=forms.Textarea)

    field_order = ["kind", "title", "description", "units", "working_days"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A problem may be listed first and assigned later by the office.
        self.fields["units"].required = False
        self.fields["working_days"].required = False


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("办理情况"), max_length=2000, widget=forms.Textarea)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("意见"), max_length=500, required=False, widget=forms.Textarea)


class GapForm(forms.Form):
    what = forms.CharField(label=_("差距"), max_length=200)
    owner_unit = forms.ModelChoiceField(label=_("责任单位"), queryset=Unit.objects.none())
    due_date = forms.DateField(label=_("完成时限"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, county, **kwargs):
        super().__init__(*args, **kwargs)
        unit_field = self.fields["owner_unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = county_units(user, county)
