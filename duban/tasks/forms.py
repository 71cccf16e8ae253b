"""One small form per move on the task page; files come from request.FILES["files"]."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from duban.accounts.models import User
from duban.org.choices import UnitKind
from duban.org.models import Unit

from .choices import Category, FeedbackFrequency, MeetingKind, Priority, Rating

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


# --- sources and task terms (office) --------------------------------------------------------------

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class UnitsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class LeaderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.display_name}（{obj.title}）" if obj.title else obj.display_name


def _leaders_field(field: forms.Field, region) -> None:
    from . import rules

    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = rules.county_leaders(region)


class MeetingForm(forms.Form):
    name = forms.CharField(label=_("会议名称"), max_length=120)
    kind = forms.ChoiceField(label=_("会议类型"), choices=MeetingKind.choices)
    date = forms.DateField(label=_("会议日期"), widget=DATE)
    chair = LeaderChoiceField(label=_("主持人"), queryset=User.objects.none(), required=False)
    attendees = forms.CharField(label=_("参会人员"), required=False, max_length=2000, widget=TEXT)
    minutes = forms.CharField(
        label=_("会议纪要"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        _leaders_field(self.fields["chair"], region)


class InstructionForm(forms.Form):
    leader = LeaderChoiceField(label=_("批示领导"), queryset=User.objects.none())
    date = forms.DateField(label=_("批示日期"), widget=DATE)
    text = forms.CharField(label=_("批示内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        _leaders_field(self.fields["leader"], region)


NODE_HELP = _("每行一个节点：日期 节点内容，如“2026-12-10 完成签约”")


def parse_nodes(text: str) -> list[tuple[str, datetime.date]]:
    """Lines of "YYYY-MM-DD what" (also YYYY/MM/DD or YYYY.MM.DD); blank lines are skipped."""
    nodes = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        day_text, _sep, title = line.partition(" ")
        try:
            day = datetime.date.fromisoformat(day_text.replace("/", "-").replace(".", "-"))
        except ValueError:
            raise forms.ValidationError(_("第%(n)s行：日期应写成2026-12-10的格式") % {"n": number}) from None
        if not title.strip():
            raise forms.ValidationError(_("第%(n)s行：请写明节点内容") % {"n": number})
        nodes.append((title.strip()[:200], day))
    if len(nodes) > 20:
        raise forms.ValidationError(_("时间节点不能超过20个"))
    return nodes


def nodes_text(task) -> str:
    return "\n".join(f"{n.due_date.isoformat()} {n.title}" for n in task.nodes.all())


class TaskForm(forms.Form):
    """The terms of a task. Once assigned, the fields in editing.DRAFT_ONLY are shown read-only."""

    title = forms.CharField(label=_("事项名称"), max_length=200)
    requirement = forms.CharField(label=_("工作要求"), required=False, max_length=5000, widget=TEXT)
    lead_unit = UnitChoiceField(label=_("牵头单位"), queryset=Unit.objects.none())
    cooperating_units = UnitsChoiceField(
        label=_("配合单位"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("仅限本县单位；按住Ctrl可多选"),
    )
    leader_in_charge = LeaderChoiceField(label=_("责任领导"), queryset=User.objects.none(), required=False)
    deadline = forms.DateField(label=_("办结时限"), widget=DATE, help_text=_("须为工作日"))
    nodes = forms.CharField(
        label=_("时间节点"), required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=NODE_HELP
    )
    feedback_frequency = forms.ChoiceField(label=_("反馈频次"), choices=FeedbackFrequency.choices)
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    priority = forms.ChoiceField(label=_("紧急程度"), choices=Priority.choices)
    requires_evidence = forms.BooleanField(label=_("办结须附佐证材料"), required=False)
    is_public = forms.BooleanField(label=_("县内公开（本县各单位可查看）"), required=False)

    def __init__(self, *args, user, region, draft: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.visible_to(user).in_region(region).filter(is_active=True)
        units = units.exclude(kind=UnitKind.LEADERSHIP).order_by("kind", "sort_order", "name")
        for name in ("lead_unit", "cooperating_units"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = units
        _leaders_field(self.fields["leader_in_charge"], region)
        if not draft:
            for name in ("lead_unit", "deadline", "nodes"):
                self.fields[name].disabled = True

    def clean_nodes(self):
        return parse_nodes(self.cleaned_data.get("nodes", ""))


class SplitForm(forms.Form):
    """Split a task into one sub-task per unit of a group ("each town shall ...")."""

    GROUPS = [
        ("towns", _("全部镇街")),
        ("departments", _("全部部门")),
        ("chosen", _("下面选择的单位")),
    ]
    group = forms.ChoiceField(label=_("分解到"), choices=GROUPS, widget=forms.RadioSelect, initial="towns")
    units = UnitsChoiceField(label=_("单位"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args, user, region, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["units"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Unit.objects.visible_to(user)
            .in_region(region)
            .filter(is_active=True)
            .exclude(kind=UnitKind.LEADERSHIP)
            .order_by("kind", "sort_order", "name")
        )

    def clean(self):
        data = super().clean()
        if data.get("group") == "chosen" and not data.get("units"):
            self.add_error("units", _("请选择要分解到的单位"))
        return data
