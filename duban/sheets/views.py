"""Pages of a registered sheet: template download, exports with the list's filters, import.

The import is two steps: upload → preview (a dry run through the services, listing every
problem) → confirm (the same run, committed all or nothing). Files above BACKGROUND_ROWS rows
are checked and imported by a background job whose progress the page polls.
A sheet the user may not import or export does not exist for them (404).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from duban.accounts import policy
from duban.jobs.models import Job, JobStatus

from . import services
from .base import SHEETS, Sheet, get_sheet
from .files import FileRefused, max_upload_bytes, too_big_message
from .forms import UploadForm
from .importing import ImportReport
from .writing import ExportRefused, csv_chunks, temp_path, write_gbk_csv, write_template, write_xlsx

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Room for the multipart envelope around the file itself.
ENVELOPE_BYTES = 64 * 1024


def _sheet_for(request, key: str, *, action: str) -> Sheet:
    sheet = get_sheet(key)
    allowed = sheet is not None and (
        sheet.can_import(request.user) if action == "import" else sheet.can_export(request.user)
    )
    if not allowed:
        raise Http404
    return sheet  # type: ignore[return-value]


def _filename(sheet: Sheet, suffix: str) -> str:
    return f"{sheet.title}-{timezone.localdate():%Y%m%d}{suffix}"


@login_required
def sheet_index(request):
    """The registers the user may import or export, each with its template and links."""
    items = [
        (sheet, sheet.can_import(request.user), sheet.can_export(request.user))
        for sheet in SHEETS.values()
        if sheet.can_import(request.user) or sheet.can_export(request.user)
    ]
    return render(request, "sheets/index.html", {"items": items})


@login_required
@require_GET
def template_download(request, key: str):
    sheet = _sheet_for(request, key, action="import")
    path = temp_path(".xlsx")
    write_template(sheet, request.user, path)
    return _file_response(path, _filename(sheet, "-模板.xlsx"), XLSX_TYPE)


def _file_response(path, filename: str, content_type: str) -> FileResponse:
    handle = path.open("rb")
    path.unlink()  # the open handle keeps the data until the response is sent (POSIX)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)


@login_required
@require_GET
def export(request, key: str, fmt: str):
    """The rows of the list page's filter, as .xlsx, UTF-8 CSV, or GBK CSV (?encoding=gbk)."""
    sheet = _sheet_for(request, key, action="export")
    qs, filters = sheet.filtered(request.user, request.GET, request)
    if fmt == "csv" and request.GET.get("encoding", "").lower() == "gbk":
        return _export_gbk(request, sheet, qs, filters)
    if fmt == "csv":
        rows = qs.count()
        services.record_export(sheet, actor=request.user, fmt="csv", filters=filters, rows=rows)
        response = StreamingHttpResponse(csv_chunks(sheet, qs), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = _disposition(_filename(sheet, ".csv"))
        return response
    path = temp_path(".xlsx")
    rows = write_xlsx(sheet, qs, path)
    services.record_export(sheet, actor=request.user, fmt="xlsx", filters=filters, rows=rows)
    return _file_response(path, _filename(sheet, ".xlsx"), XLSX_TYPE)


def _export_gbk(request, sheet: Sheet, qs, filters):
    path = temp_path(".csv")
    try:
        rows = write_gbk_csv(sheet, qs, path)
    except ExportRefused as exc:
        path.unlink(missing_ok=True)
        params = request.GET.copy()
        params.pop("encoding", None)
        context = {"sheet": sheet, "message": str(exc), "query": params.urlencode()}
        return render(request, "sheets/export_refused.html", context, status=422)
    services.record_export(sheet, actor=request.user, fmt="csv-gbk", filters=filters, rows=rows)
    return _file_response(path, _filename(sheet, "-GBK.csv"), "text/csv; charset=gbk")


def _disposition(filename: str) -> str:
    return content_disposition_header(True, filename) or "attachment"


# --- import ----------------------------------------------------------------------------------


class _SizeLimit(FileUploadHandler):
    """Stops reading an upload once it passes the limit (a client may omit or lie about its size)."""

    def __init__(self, request=None, *, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


@csrf_exempt
@login_required
def import_upload(request, key: str):
    """Upload a file; refuse an oversized one before reading its body."""
    sheet = _sheet_for(request, key, action="import")
    if request.method == "POST":
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
        if declared > max_upload_bytes() + ENVELOPE_BYTES:
            return _render_upload(request, sheet, UploadForm(), refused=too_big_message(declared), status=413)
        guard = _SizeLimit(request, limit=max_upload_bytes())
        request.upload_handlers.insert(0, guard)
        return _import_post(request, sheet, guard)
    return _render_upload(request, sheet, UploadForm())


def _render_upload(request, sheet, form, *, refused: str = "", report=None, token: str = "", status=200):
    context = {"sheet": sheet, "form": form, "refused": refused, "report": report, "token": token}
    return render(request, "sheets/import.html", context, status=status)


@csrf_protect
def _import_post(request, sheet: Sheet, guard: _SizeLimit):
    form = UploadForm(request.POST, request.FILES)
    if guard.exceeded:
        return _render_upload(
            request, sheet, UploadForm(), refused=too_big_message(guard.received), status=413
        )
    if not form.is_valid():
        return _render_upload(request, sheet, form, status=422)
    try:
        staged = services.stage_upload(form.cleaned_data["file"], actor=request.user)
        table = services.read_staged(staged)
    except FileRefused as exc:
        return _render_upload(request, sheet, UploadForm(), refused=str(exc), status=422)
    if services.runs_in_background(table):
        job = services.start_import_job(sheet, staged, actor=request.user, commit=False)
        return redirect("sheets:import_job", key=sheet.key, job_id=job.pk)
    report = services.import_staged(sheet, staged, actor=request.user, commit=False)
    return _render_upload(request, sheet, UploadForm(), report=report, token=staged.token)


@login_required
@require_POST
def import_confirm(request, key: str, token: str):
    """Commit the previewed file: the same run again, all or nothing."""
    sheet = _sheet_for(request, key, action="import")
    staged = services.find_staged(token, actor=request.user)
    if staged is None:
        refused = _("上传的文件已过期或不存在，请重新上传。")
        return _render_upload(request, sheet, UploadForm(), refused=refused, status=410)
    try:
        table = services.read_staged(staged)
    except FileRefused as exc:
        return _render_upload(request, sheet, UploadForm(), refused=str(exc), status=422)
    if services.runs_in_background(table):
        job = services.start_import_job(sheet, staged, actor=request.user, commit=True)
        return redirect("sheets:import_job", key=sheet.key, job_id=job.pk)
    report = services.import_staged(sheet, staged, actor=request.user, commit=True)
    token = "" if report.committed else staged.token
    return _render_upload(request, sheet, UploadForm(), report=report, token=token)


@login_required
@require_GET
def import_job(request, key: str, job_id: int):
    """A background check or import: progress while it runs, then its report (htmx polls it)."""
    sheet = _sheet_for(request, key, action="import")
    job = policy.get_object_for_user_or_404(request.user, Job.objects.visible_to(request.user), job_id)
    if job.kind != "sheets.import" or job.params.get("sheet") != sheet.key:
        raise Http404
    running = job.status in (JobStatus.QUEUED, JobStatus.RUNNING)
    if running:
        _show_live_progress(request, job)
    report = ImportReport.from_dict(job.result) if job.status == JobStatus.SUCCEEDED and job.result else None
    token = ""
    if report is not None and not job.params.get("commit") and report.ok:
        token = job.params.get("token", "")
    context = {
        "sheet": sheet,
        "job": job,
        "report": report,
        "token": token,
        "running": running,
        "job_url": _job_page(job),
    }
    template = (
        "sheets/partials/job.html" if request.headers.get("HX-Request") == "true" else "sheets/job.html"
    )
    return render(request, template, context)


def _show_live_progress(request, job: Job) -> None:
    """While the import's transaction is open, its rows are counted in a file, not the job row."""
    staged = services.find_staged(job.params.get("token", ""), actor=request.user)
    live = services.read_live_progress(staged) if staged is not None else None
    if live is not None and live[0] >= job.progress_done:
        job.progress_done, job.progress_total = live  # for display only, never saved


def _job_page(job: Job) -> str:
    """The jobs module's own page for the job, when it has one."""
    try:
        return reverse("jobs:detail", args=[job.pk])
    except NoReverseMatch:
        return ""
