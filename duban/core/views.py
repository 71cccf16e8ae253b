from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from duban.accounts.policy import grants_of

from .home import sections_for


@login_required
def home(request):
    """What is waiting for the user, section by section, each with its empty state."""
    roles = grants_of(request.user).roles
    return render(
        request, "core/home.html", {"sections": sections_for(request.user, roles), "has_roles": bool(roles)}
    )


def csrf_failure(request, reason: str = ""):
    return render(request, "core/csrf_failure.html", status=403)


def not_found(request, exception=None):
    return render(request, "core/404.html", status=404)


def server_error(request):
    return render(request, "core/500.html", status=500)
