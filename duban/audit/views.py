"""The audit viewer: for the audit administrator only; everyone else gets 404.

The list, the CSV export and the .xlsx export read the same AuditEntryFilter over
`AuditEntry.objects.visible_to(user)`, so the export is exactly what the page shows.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from duban.accounts import policy
from duban.accounts.choices import Role

from . import exports
from .filters import AuditEntryFilter
from .models import AuditEntry
from .queries import change_rows, entries_for

PAGE_SIZE = 50


def _require_audit_admin(request) -> None:
    if not policy.has_role(request.user, Role.AUDIT_ADMIN):
        raise Http404


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def entry_list(request):
    _require_audit_admin(request)
    filters = AuditEntryFilter(request.GET, queryset=entries_for(request.user))
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filters": filters, "page": page, "query": _query_without_page(request)}
    partial = request.headers.get("HX-Request") == "true"
    return render(request, "audit/partials/results.html" if partial else "audit/entry_list.html", context)


@login_required
def entry_detail(request, pk: int):
    _require_audit_admin(request)
    entry = policy.get_object_for_user_or_404(request.user, AuditEntry, pk)
    return render(request, "audit/entry_detail.html", {"entry": entry, "rows": change_rows(entry)})


@login_required
def export(request, fmt: str):
    """The current filter as CSV (UTF-8 BOM) or .xlsx; the export is audited before it starts."""
    _require_audit_admin(request)
    # The same filter as the page: a field the form rejects is ignored here as it is there.
    filters = AuditEntryFilter(request.GET, queryset=entries_for(request.user))
    qs = filters.qs
    exports.audit_export(actor=request.user, fmt=fmt, summary=filters.summary(), count=qs.count())
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    if fmt == "xlsx":
        return FileResponse(exports.xlsx_file(qs), as_attachment=True, filename=f"audit-{stamp}.xlsx")
    response = StreamingHttpResponse(exports.csv_chunks(qs), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response
