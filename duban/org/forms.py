"""Forms of the administration pages. They validate; the services write (and audit)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import RegionLevel, UnitKind
from .models import Region, Unit
from .queries import leader_choices, unit_choice_regions
from .services import LEVEL_ORDER


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        # Towns share names across counties ("城关镇"): name the parent too.
        return f"{obj.parent.name} · {obj.name}" if obj.parent is not None else obj.name


class LeaderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.display_name} · {obj.title}" if obj.title else obj.display_name


class RegionCreateForm(forms.ModelForm):
    """A child region under a parent the system admin manages."""

    class Meta:
        model = Region
        fields = ["name", "code", "level", "is_town_subdistrict", "sort_order"]
        help_texts = {"code": _("全局唯一的区划代码，如镇(街道)用 9 位统计用区划代码；保存后不能修改")}

    def __init__(self, *args, parent: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent = parent
        below = LEVEL_ORDER[LEVEL_ORDER.index(RegionLevel(parent.level)) + 1 :]
        level_field = self.fields["level"]
        assert isinstance(level_field, forms.ChoiceField)
        level_field.choices = [(str(level), level.label) for level in below]
        if below:
            self.initial.setdefault("level", str(below[0]))

    def _post_clean(self):
        # The path and parent are set by the service; validate the rest as the model would.
        self.instance.parent = self.parent
        self.instance.path = Region.path_for(self.parent, self.cleaned_data.get("code") or "")
        super()._post_clean()


class RegionEditForm(forms.ModelForm):
    class Meta:
        model = Region
        fields = ["name", "is_town_subdistrict", "sort_order"]


class UnitForm(forms.ModelForm):
    """Create or edit a unit. Region and leader choices are limited to the admin's scope."""

    region = RegionChoiceField(label=_("所在区划"), queryset=Region.objects.none(), empty_label=_("请选择"))
    leader_in_charge = LeaderChoiceField(
        label=_("分管领导"), queryset=Region.objects.none(), required=False, empty_label=_("(暂无)")
    )

    class Meta:
        model = Unit
        fields = ["name", "short_name", "code", "kind", "region", "leader_in_charge", "sort_order"]
        help_texts = {
            "code": _("单位的唯一代码，保存后不能修改；只能包含字母、数字、下划线和短横线"),
            "sort_order": _("名录中同类单位按此数字从小到大排列"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = unit_choice_regions(user).select_related("parent")
        self.fields["leader_in_charge"].queryset = leader_choices(user)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", _("请选择")), *UnitKind.choices]
        if self.instance.pk:
            # A unit's code is its natural key in imports and other systems: fixed once made.
            del self.fields["code"]
