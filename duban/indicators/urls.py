from django.urls import path

from . import views, views_catalogue, views_lookback, views_reporting

app_name = "indicators"
urlpatterns = [
    path("", views.board, name="board"),
    path("lagging/", views.lagging, name="lagging"),
    path("export.xlsx", views_reporting.board_export, name="board_export"),
    path("bulletin/", views_reporting.bulletin_import, name="bulletin_import"),
    path("new/", views_catalogue.indicator_create, name="indicator_create"),
    path("<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path("<int:pk>/edit/", views_catalogue.indicator_edit, name="indicator_edit"),
    path("<int:pk>/targets/", views_catalogue.indicator_targets, name="indicator_targets"),
    path("<int:pk>/report/", views_reporting.value_enter, name="value_enter"),
    path("values/<int:pk>/<str:action>/", views_reporting.value_action, name="value_action"),
    path("units/<int:pk>/", views_reporting.unit_page, name="unit_page"),
    path("units/<int:pk>/template.xlsx", views_reporting.unit_template, name="unit_template"),
    path("units/<int:pk>/upload/", views_reporting.unit_report_upload, name="unit_report_upload"),
    path("look-backs/", views_lookback.look_back_list, name="look_back_list"),
    path("look-backs/new/", views_lookback.look_back_launch, name="look_back_launch"),
    path("look-backs/<int:pk>/", views_lookback.look_back_detail, name="look_back_detail"),
    path("look-backs/<int:pk>/close/", views_lookback.look_back_close, name="look_back_close"),
    path("look-backs/items/<int:pk>/plan/", views_lookback.look_back_plan, name="look_back_plan"),
]
