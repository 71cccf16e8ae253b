"""Pages of the project register: the list with filters and light counts, and the project page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from duban.accounts import policy
from duban.accounts.choices import UNIT_SCOPED_ROLES, Role
from duban.audit.queries import history_for

from . import queries
from .filters import LIGHTS, ProjectFilter
from .lights import completion_rate, investment_light
from .services.common import is_office_for
from .services.visits import may_record_visit
from .views_problems import query_without_page

PAGE_SIZE = 50


def _may_create(user) -> bool:
    grants = policy.grants_of(user)
    return bool(grants.paths({Role.SUPERVISION_OFFICE}) or grants.units(UNIT_SCOPED_ROLES))


@login_required
def project_list(request):
    filters = ProjectFilter(request.GET, queryset=queries.projects_for(request.user), request=request)
    qs = filters.qs if filters.is_valid() else filters.queryset.none()
    page = Paginator(qs.order_by("code"), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    queries.attach_register_facts(request.user, rows)
    # Counts per light follow every filter but the light itself, so the buttons stay useful.
    params = request.GET.copy()
    params.pop("light", None)
    params.pop("page", None)
    other = ProjectFilter(params, queryset=queries.projects_for(request.user), request=request)
    counts = queries.light_counts(other.qs if other.is_valid() else qs)
    context = {
        "filters": filters,
        "page": page,
        "rows": rows,
        "light_buttons": [(code, label, counts.get(code, 0)) for code, label in LIGHTS],
        "light_query": params.urlencode(),
        "query": query_without_page(request),
        "can_create": _may_create(request.user),
    }
    return render(request, "projects/project_list.html", context)


@login_required
def project_detail(request, pk: int):
    project = policy.get_object_for_user_or_404(request.user, queries.projects_for(request.user), pk)
    full = queries.has_full_view(request.user, project)
    context = {
        "project": project,
        "full": full,
        "can_change": policy.can(request.user, policy.CHANGE, project),
        "office": is_office_for(request.user, project.county),
        "may_visit": may_record_visit(request.user, project),
        "rate": completion_rate(project),
        "investment_light": investment_light(project),
        "problems": queries.project_problems(request.user, project),
    }
    if full:
        context.update(queries.project_page_facts(request.user, project))
        context["history"] = history_for(request.user, project)
    return render(request, "projects/project_detail.html", context)
