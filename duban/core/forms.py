"""Forms of the core platform pages (the working-day calendar's adjustments)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from duban.core.calendar.importing import MAX_LINES, NAME_MAX, NOTE_MAX

KIND_OFF, KIND_WORK = "off", "work"


class AdjustmentForm(forms.Form):
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=[(KIND_OFF, _("放假")), (KIND_WORK, _("上班（调休上班）"))],
        widget=forms.RadioSelect,
        initial=KIND_OFF,
    )
    name = forms.CharField(label=_("名称"), max_length=NAME_MAX, help_text=_("如“春节”“春节调休上班”"))
    note = forms.CharField(
        label=_("备注"), max_length=NOTE_MAX, required=False, help_text=_("如国务院办公厅通知的文号")
    )

    def clean_date(self):
        date = self.cleaned_data["date"]
        if not 2000 <= date.year <= 2100:
            raise forms.ValidationError(_("年份应在2000至2100之间"))
        return date

    @property
    def is_workday(self) -> bool:
        return self.cleaned_data["kind"] == KIND_WORK


class AdjustmentImportForm(forms.Form):
    text = forms.CharField(
        label=_("粘贴调整安排"),
        max_length=MAX_LINES * 260,
        widget=forms.Textarea(
            attrs={"rows": 8, "placeholder": "2027-02-05,休,春节\n2027-02-20,班,春节调休上班"}
        ),
        help_text=_("每行一天：日期,休或班,名称[,备注]。全部正确才会保存；已有相同记录的行不会重复录入。"),
    )
