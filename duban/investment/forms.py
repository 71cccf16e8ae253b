"""Forms of investment attraction. They validate input; the services decide (and never see `stage`)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.accounts.models import User
from duban.org.choices import UnitKind
from duban.org.models import Unit

from .choices import PIPELINE, Stage
from .models import FollowUp, InvestmentTarget, Lead
from .services import LEAD_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LeadForm(forms.ModelForm):
    class Meta:
        model = Lead
        fields = ["registered_on", *LEAD_FIELDS]
        widgets = {
            "registered_on": DATE,
            "expected_sign_on": DATE,
            "content": forms.Textarea(attrs={"rows": 3}),
            "negotiation_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, source_unit: Unit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        locations = Unit.objects.visible_to(user).filter(
            kind__in=[UnitKind.TOWN, UnitKind.PARK], is_active=True
        )
        self.fields["intended_location"].queryset = (  # type: ignore[attr-defined]
            locations.order_by("sort_order", "name")
        )
        unit_ids = [u for u in (source_unit and source_unit.pk, self.instance.intended_location_id) if u]
        followers = User.objects.visible_to(user).filter(unit__in=unit_ids, is_active=True)
        self.fields["follower"].queryset = followers  # type: ignore[attr-defined]
        if self.instance.pk:
            del self.fields["registered_on"]
        else:
            self.fields["registered_on"].initial = timezone.localdate()


class SourceUnitForm(forms.Form):
    """The office registers leads for any unit; a liaison for its own (the field is then hidden)."""

    source_unit = forms.ModelChoiceField(label=_("引进单位"), queryset=Unit.objects.none())


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["date", "kind", "notes", "next_step", "next_contact_on"]
        widgets = {"date": DATE, "next_contact_on": DATE, "notes": forms.Textarea(attrs={"rows": 3})}


class MoveForm(forms.Form):
    """One form for every move; the service says which fields the move needs."""

    date = forms.DateField(label=_("日期"), widget=DATE)
    reason = forms.CharField(label=_("原因"), required=False, max_length=500)
    evidence_note = forms.CharField(label=_("证明材料说明"), required=False, max_length=500)
    to_stage = forms.ChoiceField(
        label=_("退回到"), required=False, choices=[("", "—")] + [(s, Stage(s).label) for s in PIPELINE]
    )
    contract_date = forms.DateField(label=_("合同签订日期"), required=False, widget=DATE)
    contract_amount = forms.DecimalField(
        label=_("合同金额（万元）"), required=False, max_digits=15, decimal_places=2
    )
    contract_parties = forms.CharField(label=_("签约各方"), required=False, max_length=200)
    confirm_over_plan = forms.BooleanField(label=_("确认金额无误（超过计划投资）"), required=False)

    def service_kwargs(self, action: str, files) -> dict:
        data = self.cleaned_data
        kwargs = {
            "date": data["date"],
            "reason": data["reason"],
            "evidence_note": data["evidence_note"],
            "evidence_files": files,
        }
        if action == "sign":
            kwargs["contract"] = {
                k: data[k] for k in ("contract_date", "contract_amount", "contract_parties")
            }
            kwargs["confirm_over_plan"] = data["confirm_over_plan"]
        if action == "step_back":
            kwargs["to_stage"] = data["to_stage"]
        return kwargs


class TargetForm(forms.ModelForm):
    class Meta:
        model = InvestmentTarget
        fields = ["leads", "signed_projects", "signed_amount", "landed_projects", "funds_in_place"]


class SettleForm(forms.Form):
    owner = forms.IntegerField(label=_("归属线索"))
    shared_credit = forms.BooleanField(label=_("共享成绩"), required=False)
    note = forms.CharField(label=_("裁定说明"), required=False, max_length=500)
