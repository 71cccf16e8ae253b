"""Pages of progress reports: a project's reports with the submit form; a report with the head's
approve/return and the liaison's correction (a new version, the old one kept)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.accounts import policy
from duban.audit.queries import history_for

from . import reports
from .forms import NoteForm
from .forms_register import ProgressReportForm, ReportCorrectionForm
from .models import ProgressReport, Project
from .periods import last_due_period
from .services import reports as report_services
from .views_problems import apply_errors


@login_required
def project_reports(request, pk: int):
    project = policy.get_object_for_user_or_404(request.user, Project.objects.visible_to(request.user), pk)
    may_submit = report_services.may_submit(request.user, project)
    period = last_due_period(timezone.localdate(), project.report_frequency)
    form = ProgressReportForm(
        request.POST or None, initial={"day": period[0] if period else timezone.localdate()}
    )
    if request.method == "POST":
        if not may_submit:
            raise PermissionDenied(_("只有牵头单位可以报送项目进展"))
        if form.is_valid():
            try:
                report = report_services.submit_report(project, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已报送，等待单位主要负责人审核"))
                return redirect("projects:report_detail", pk=report.pk)
    rows = reports.project_reports(request.user, project)
    context = {
        "project": project,
        "rows": rows,
        "missing": reports.missing_period(project, rows),
        "form": form if may_submit else None,
    }
    return render(request, "projects/reports.html", context, status=422 if form.errors else 200)


def _report(request, pk: int) -> ProgressReport:
    return policy.get_object_for_user_or_404(
        request.user, ProgressReport.objects.visible_to(request.user).select_related("project"), pk
    )


def _detail_context(request, report: ProgressReport, **forms) -> dict:
    project = report.project
    current_submitted = report.is_current and report.status == "submitted"
    current_approved = report.is_current and report.status == "approved"
    initial = {f: getattr(report, f) for f in ("progress", "investment", "image_progress", "problems")}
    versions = (
        ProgressReport.objects.visible_to(request.user)
        .filter(project=project, period_start=report.period_start)
        .select_related("submitted_by", "approved_by")
        .order_by("-version")
    )
    return {
        "report": report,
        "project": project,
        "versions": list(versions),
        "decide_form": forms.get("decide") or NoteForm()
        if current_submitted and report_services.may_approve(request.user, project)
        else None,
        "correct_form": forms.get("correct") or ReportCorrectionForm(initial=initial)
        if current_approved and report_services.may_submit(request.user, project)
        else None,
        "resubmit_form": ProgressReportForm(initial={**initial, "day": report.period_start})
        if report.is_current
        and report.status == "returned"
        and report_services.may_submit(request.user, project)
        else None,
        "history": history_for(request.user, report),
    }


@login_required
def report_detail(request, pk: int):
    report = _report(request, pk)
    return render(request, "projects/report_detail.html", _detail_context(request, report))


@login_required
@require_POST
def report_action(request, pk: int, action: str):
    """approve, return (note required), correct (reason required: a new version)."""
    report = _report(request, pk)
    user = request.user
    form: Form
    if action in ("approve", "return"):
        form, key = NoteForm(request.POST), "decide"
    elif action == "correct":
        form, key = ReportCorrectionForm(request.POST), "correct"
    else:
        raise Http404
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "approve":
                report = report_services.approve_report(report, actor=user)
            elif action == "return":
                report = report_services.return_report(report, actor=user, note=data["note"])
            else:
                report = report_services.correct_report(report, actor=user, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("projects:report_detail", pk=report.pk)
    context = _detail_context(request, report, **{key: form})
    return render(request, "projects/report_detail.html", context, status=422)
