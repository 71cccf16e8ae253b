from django.urls import path

from . import views, views_land, views_problems, views_register, views_reports, views_showcase, views_visits

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("new/", views_register.project_create, name="project_create"),
    path("<int:pk>/", views.project_detail, name="project_detail"),
    path("<int:pk>/edit/", views_register.project_edit, name="project_edit"),
    path("<int:pk>/confirm/", views_register.project_confirm, name="project_confirm"),
    path("<int:pk>/stewards/", views_register.project_stewards, name="project_stewards"),
    path("stewards/<int:pk>/end/", views_register.steward_end, name="steward_end"),
    path("<int:project_pk>/visits/new/", views_visits.visit_create, name="visit_create"),
    path("visits/", views_visits.visit_list, name="visit_list"),
    path("visits/<int:pk>/", views_visits.visit_detail, name="visit_detail"),
    path("visit-decisions/<int:pk>/convert/", views_visits.decision_convert, name="decision_convert"),
    path("stewards/", views_visits.steward_list, name="steward_list"),
    path("land/", views_land.land_board, name="land_board"),
    path("land/requests/<int:pk>/<slug:action>/", views_land.land_decide, name="land_decide"),
    path("<int:pk>/reports/", views_reports.project_reports, name="project_reports"),
    path("reports/<int:pk>/", views_reports.report_detail, name="report_detail"),
    path("reports/<int:pk>/<slug:action>/", views_reports.report_action, name="report_action"),
    path("<int:pk>/investment/", views_register.project_investment, name="project_investment"),
    path("milestones/<int:pk>/", views_register.milestone_detail, name="milestone_detail"),
    path("milestones/<int:pk>/<slug:action>/", views_register.milestone_action, name="milestone_action"),
    path("moves/<int:pk>/<slug:action>/", views_register.move_decide, name="move_decide"),
    path("<int:project_pk>/problems/new/", views_problems.problem_create, name="problem_create"),
    path("problems/", views_problems.problem_list, name="problem_list"),
    path("problems/<int:pk>/", views_problems.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/<slug:action>/", views_problems.problem_action, name="problem_action"),
    path("showcases/", views_showcase.showcase_list, name="showcase_list"),
    path("showcases/new/", views_showcase.showcase_create, name="showcase_create"),
    path("showcases/<int:pk>/", views_showcase.showcase_board, name="showcase_board"),
    path("showcases/<int:pk>/edit/", views_showcase.showcase_edit, name="showcase_edit"),
    path("showcases/<int:pk>/rehearsal/", views_showcase.showcase_rehearsal, name="showcase_rehearsal"),
    path(
        "showcases/<int:pk>/projects/<int:project_pk>/",
        views_showcase.showcase_assess,
        name="showcase_assess",
    ),
    path("showcase-gaps/<int:pk>/convert/", views_showcase.gap_convert, name="gap_convert"),
]
