"""Pages of the organisation tree: the unit directory and the system admin's region/unit pages.

Reads start from `queries` (which start from `visible_to`) or `get_object_for_user_or_404`;
writes go through `services`. Another county's unit answers 404; a visible object the user
may not change answers 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.accounts import policy
from duban.accounts.choices import Role

from . import services
from .filters import RegionFilter, UnitFilter
from .forms import RegionCreateForm, RegionEditForm, UnitForm
from .models import Region, Unit
from .queries import regions_for, unit_members, units_for

PAGE_SIZE = 100
REGION_PAGE_SIZE = 200


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _page(request, qs, size: int):
    return Paginator(qs, size).get_page(request.GET.get("page"))


def _for_change(request, model, pk):
    """The object to change: 404 when the user cannot see it, 403 when they can see but not change."""
    obj = policy.get_object_for_user_or_404(request.user, model, pk, action=policy.VIEW)
    if not policy.can(request.user, policy.CHANGE, obj):
        raise PermissionDenied(_("无权执行此操作"))
    return obj


def _require_system_admin(request) -> None:
    policy.require_role(request.user, Role.SYSTEM_ADMIN)


def _apply_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form (fields it knows, else at the top)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def unit_list(request):
    """The directory of the units the user may see, filtered, grouped by kind or sorted."""
    filters = UnitFilter(request.GET, queryset=units_for(request.user), request=request)
    page = _page(request, filters.qs, PAGE_SIZE)
    context = {
        "filters": filters,
        "page": page,
        "grouped": filters.grouped,
        "is_admin": policy.has_role(request.user, Role.SYSTEM_ADMIN),
        "query": _query_without_page(request),
    }
    template = "org/partials/unit_results.html" if _is_htmx(request) else "org/unit_list.html"
    return render(request, template, context)


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def unit_detail(request, pk: int):
    unit = policy.get_object_for_user_or_404(
        request.user, units_for(request.user).select_related("region__parent"), pk
    )
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "members": unit_members(unit),
            "can_change": policy.can(request.user, policy.CHANGE, unit),
        },
    )


@login_required
def unit_create(request):
    _require_system_admin(request)
    form = UnitForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = services.create_unit(actor=request.user, **data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("已新建单位“%(name)s”") % {"name": unit.name})
            return redirect("org:unit_detail", pk=unit.pk)
    return render(request, "org/unit_form.html", {"form": form, "unit": None})


@login_required
def unit_edit(request, pk: int):
    unit = _for_change(request, Unit, pk)
    form = UnitForm(request.POST or None, instance=unit, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_unit(unit, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("org:unit_detail", pk=unit.pk)
    return render(request, "org/unit_form.html", {"form": form, "unit": unit})


@login_required
@require_POST
def unit_set_active(request, pk: int):
    unit = _for_change(request, Unit, pk)
    active = request.POST.get("active") == "1"
    reason = request.POST.get("reason", "")[:500]
    services.set_unit_active(unit, actor=request.user, active=active, reason=reason)
    messages.success(request, _("单位已启用") if active else _("单位已停用"))
    return redirect("org:unit_detail", pk=unit.pk)


@login_required
def region_list(request):
    """The region tree of the system admin's scope, parents before children."""
    _require_system_admin(request)
    filters = RegionFilter(request.GET, queryset=regions_for(request.user), request=request)
    page = _page(request, filters.qs, REGION_PAGE_SIZE)
    return render(
        request,
        "org/region_list.html",
        {"filters": filters, "page": page, "query": _query_without_page(request)},
    )


@login_required
def region_create(request, parent_pk: int):
    # The object first: another county's region is 404 for everybody, not 403.
    parent = _for_change(request, Region, parent_pk)
    form = RegionCreateForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            region = services.create_region(actor=request.user, parent=parent, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("已新建区划“%(name)s”") % {"name": region.name})
            return redirect(f"{_region_list_url()}?within={parent.pk}")
    return render(request, "org/region_form.html", {"form": form, "parent": parent, "region": None})


@login_required
def region_edit(request, pk: int):
    region = _for_change(request, Region, pk)
    form = RegionEditForm(request.POST or None, instance=region)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_region(region, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("org:region_list")
    return render(request, "org/region_form.html", {"form": form, "parent": region.parent, "region": region})


def _region_list_url() -> str:
    from django.urls import reverse

    return reverse("org:region_list")
