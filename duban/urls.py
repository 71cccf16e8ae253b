from django.urls import include, path

from duban.api import api

handler404 = "duban.core.views.not_found"
handler500 = "duban.core.views.server_error"

urlpatterns = [
    path("", include("duban.core.urls")),
    path("accounts/", include("duban.accounts.urls")),
    path("org/", include("duban.org.urls")),
    path("audit/", include("duban.audit.urls")),
    path("jobs/", include("duban.jobs.urls")),
    path("sheets/", include("duban.sheets.urls")),
    path("attachments/", include("duban.attachments.urls")),
    path("notifications/", include("duban.notifications.urls")),
    path("projects/", include("duban.projects.urls")),
    path("tasks/", include("duban.tasks.urls")),
    path("investment/", include("duban.investment.urls")),
    path("indicators/", include("duban.indicators.urls")),
    path("campaigns/", include("duban.campaigns.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
