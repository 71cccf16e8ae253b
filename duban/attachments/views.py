"""Attachment pages: the panel (an htmx partial), upload, remove, and the three ways to get
the bytes back. Every read starts from the policy: an attachment whose owner the user may not
see does not exist for them (404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from duban.accounts import policy

from . import queries, services, storage
from .choices import AttachmentKind
from .forms import RemoveForm, UploadForm
from .models import Attachment
from .registry import owner_model

LIST_TEMPLATE = "attachments/partials/attachment_list.html"


def _owner_or_404(user, label: str, object_id: str):
    model = owner_model(label)
    if model is None:
        raise Http404
    return policy.get_object_for_user_or_404(user, model, object_id)


def _attachment_or_404(user, pk: int) -> Attachment:
    return policy.get_object_for_user_or_404(user, queries.active_attachments(), pk)


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("core:home")


def _answer(request, owner, *, errors: list[str], notice: str):
    """The refreshed panel for htmx; for a plain form post, a message and a redirect back."""
    kind = request.POST.get("panel_kind", "")
    if _is_htmx(request):
        context = queries.panel(
            request.user, owner, kind=kind, next_url=_next_url(request), errors=errors, notice=notice
        )
        return render(request, LIST_TEMPLATE, context)
    for error in errors:
        messages.error(request, error)
    if notice:
        messages.success(request, notice)
    return HttpResponseRedirect(_next_url(request))


@login_required
@require_GET
def panel(request, label: str, object_id: str):
    owner = _owner_or_404(request.user, label, object_id)
    context = queries.panel(
        request.user, owner, kind=request.GET.get("kind", ""), next_url=_next_url(request)
    )
    return render(request, LIST_TEMPLATE, context)


@login_required
@require_POST
def upload(request, label: str, object_id: str):
    owner = _owner_or_404(request.user, label, object_id)
    if not policy.can(request.user, policy.CHANGE, owner):
        raise PermissionDenied  # seen but not changeable: 403 before any file is checked
    form = UploadForm(request.POST, request.FILES)
    errors: list[str] = []
    notice = ""
    if form.is_valid():
        try:
            added = services.add_attachments(
                owner,
                form.cleaned_data["uploads"],
                actor=request.user,
                kind=form.cleaned_data["kind"] or AttachmentKind.OTHER,
            )
            notice = _("已上传%(n)s个文件") % {"n": len(added)}
        except ValidationError as exc:
            errors = exc.messages
    else:
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
    return _answer(request, owner, errors=errors, notice=notice)


@login_required
@require_POST
def remove(request, pk: int):
    attachment = _attachment_or_404(request.user, pk)
    owner = services.owner_of(attachment)
    if owner is None:
        raise Http404
    form = RemoveForm(request.POST)
    errors: list[str] = []
    notice = ""
    if form.is_valid():
        try:
            services.remove_attachment(attachment, actor=request.user, reason=form.cleaned_data["reason"])
            notice = _("已删除附件“%(name)s”") % {"name": attachment.original_name}
        except ValidationError as exc:
            errors = exc.messages
    else:
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
    return _answer(request, owner, errors=errors, notice=notice)


def _file_response(name: str | None, *, filename: str, content_type: str, inline: bool):
    path = storage.locate(name) if name else None
    if path is None:
        raise Http404
    response = FileResponse(
        path.open("rb"), as_attachment=not inline, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, max-age=3600" if inline else "private, no-store"
    return response


@login_required
@require_GET
def download(request, pk: int):
    """The file itself, always as a download; every download is audited."""
    attachment = _attachment_or_404(request.user, pk)
    response = _file_response(
        attachment.stored_name,
        filename=attachment.original_name,
        content_type=attachment.mime_type,
        inline=False,
    )
    services.record_download(attachment, actor=request.user)
    return response


@login_required
@require_GET
def image(request, pk: int):
    """A re-encoded image (no metadata left in it), shown in the page: not audited."""
    attachment = _attachment_or_404(request.user, pk)
    if not attachment.is_image:
        raise Http404
    return _file_response(
        attachment.stored_name,
        filename=attachment.original_name,
        content_type=attachment.mime_type,
        inline=True,
    )


@login_required
@require_GET
def thumbnail(request, pk: int):
    attachment = _attachment_or_404(request.user, pk)
    if not attachment.is_image:
        raise Http404
    stem = attachment.original_name.rsplit(".", 1)[0]
    return _file_response(
        attachment.thumbnail_name, filename=f"{stem}_缩略图.jpg", content_type="image/jpeg", inline=True
    )
