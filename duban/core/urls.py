from django.urls import path

from . import calendar_views, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("calendar/", calendar_views.calendar_page, name="calendar"),
    path("calendar/adjustments/", calendar_views.adjustments, name="calendar_adjustments"),
    path("calendar/adjustments/add/", calendar_views.adjustment_add, name="calendar_adjustment_add"),
    path("calendar/adjustments/import/", calendar_views.adjustment_import, name="calendar_adjustment_import"),
    path(
        "calendar/adjustments/<int:pk>/delete/",
        calendar_views.adjustment_delete,
        name="calendar_adjustment_delete",
    ),
]
