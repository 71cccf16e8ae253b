"""Forms of the indicator pages. Figures are typed as text: the services parse them and give
the Chinese message for full-width digits, units or words."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Indicator
from .periods import Period, latest_closed

OPEN_PERIODS = 12


def open_periods(indicator: Indicator, today: datetime.date) -> list[Period]:
    """The closed periods a unit may still report, latest first."""
    period: Period | None = latest_closed(indicator.frequency, today)
    result: list[Period] = []
    while period is not None and len(result) < OPEN_PERIODS:
        result.append(period)
        period = period.previous_any()
    return result


class ValueForm(forms.Form):
    period = forms.ChoiceField(label=_("期别"))
    value = forms.CharField(label=_("本期值"), max_length=40)
    last_year_value = forms.CharField(label=_("上年同期值"), max_length=40, required=False)
    explanation = forms.CharField(
        label=_("情况说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, indicator: Indicator, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        choices = [(p.code, p.label) for p in open_periods(indicator, today)]
        self.fields["period"].choices = choices  # type: ignore[attr-defined]
        unit = indicator.unit_of_measure
        self.fields["value"].help_text = _("单位：%(u)s；只填数字，如 12.5") % {"u": unit}
        if indicator.needs_last_year:
            self.fields["last_year_value"].required = True
            self.fields["last_year_value"].help_text = _("同比增速指标须填写")

    def period_value(self) -> Period:
        return Period.parse(self.cleaned_data["period"], self.indicator.frequency)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=500, required=False)


class BulletinForm(forms.Form):
    period = forms.CharField(
        label=_("期别"),
        max_length=16,
        help_text=_("如 2026-09（月度）、2026Q3（季度）；季度指标按该季末月份导入"),
    )
    file = forms.FileField(
        label=_("市统计公报表格"), help_text=_("第一行为指标名称或代码，第一列为县(区)名称")
    )


class LaunchForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=100)
    note = forms.CharField(
        label=_("工作要求"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    indicators = forms.MultipleChoiceField(label=_("位次靠后的指标"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, lagging_rows, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (str(r.indicator.pk), f"{r.indicator.name}（{r.period.label} 第{r.place}位/{r.peers}）")
            for r in lagging_rows
        ]
        self.fields["indicators"].choices = choices  # type: ignore[attr-defined]


class PlanForm(forms.Form):
    causes = forms.CharField(label=_("原因分析"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    measures = forms.CharField(label=_("整改措施"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    responsible_person = forms.CharField(label=_("责任人"), max_length=32)
    deadline = forms.DateField(label=_("完成时限"), widget=forms.DateInput(attrs={"type": "date"}))
    expected_value = forms.CharField(label=_("预期达到数值"), max_length=40)


class SummaryForm(forms.Form):
    summary = forms.CharField(label=_("总结"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))


class IndicatorForm(forms.ModelForm):
    """The catalogue fields; units and leaders are limited to the indicator's county by the view.
    Figures are text here: the catalogue service parses them with the Chinese messages."""

    min_value = forms.CharField(label=_("合理下限"), max_length=40, required=False)
    max_value = forms.CharField(label=_("合理上限"), max_length=40, required=False)
    jump_band = forms.CharField(
        label=_("波动幅度阈值(%)"),
        max_length=40,
        required=False,
        help_text=_("超过此幅度须说明原因；空为系统默认"),
    )
    weight = forms.CharField(label=_("考核权重(分)"), max_length=40, initial="0")

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "group",
            "unit_of_measure",
            "kind",
            "direction",
            "frequency",
            "cumulative",
            "owner_unit",
            "cooperating_units",
            "leader_in_charge",
            "weight",
            "data_source",
            "due_working_day",
            "min_value",
            "max_value",
            "jump_band",
            "is_active",
            "sort_order",
        ]
        widgets = {"cooperating_units": forms.CheckboxSelectMultiple}

    def __init__(self, *args, units, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["cooperating_units"].queryset = units  # type: ignore[attr-defined]
        self.fields["leader_in_charge"].queryset = leaders  # type: ignore[attr-defined]
        if self.instance.pk:
            # The code names the indicator in imports and bulletins: it stays as created.
            del self.fields["code"]
            for name in ("min_value", "max_value", "jump_band", "weight"):
                value = getattr(self.instance, name)
                self.initial[name] = "" if value is None else f"{value.normalize():f}"

    def _post_clean(self) -> None:
        # The service validates the whole indicator (after parsing the figures); the model's
        # own clean here would only see the unparsed text.
        pass

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("cooperating_units", None)
        data.pop("owner_unit", None)
        for name in ("min_value", "max_value", "jump_band"):
            data[name] = data[name].strip() or None
        return data


class TargetForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    value = forms.CharField(label=_("年度目标"), max_length=40)
    target_place = forms.IntegerField(
        label=_("目标位次"), required=False, help_text=_("本县在全市争取的位次，可空")
    )


class PlanEntryForm(forms.Form):
    period = forms.CharField(
        label=_("期别"), max_length=16, help_text=_("如 2026-09（月度）、2026Q3（季度）")
    )
    value = forms.CharField(
        label=_("计划值"), max_length=40, required=False, help_text=_("留空则按时间进度推算")
    )

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator

    def clean_period(self) -> Period:
        # Period.parse raises the Chinese ValidationError for text that is not a period.
        return Period.parse(self.cleaned_data["period"], self.indicator.frequency)


class ReportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("已填写的填报模板"),
        help_text=_("请使用本页下载的填报模板；只导入填写了本期值的行，有错误时整表不导入"),
    )
