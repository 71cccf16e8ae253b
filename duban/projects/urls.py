from django.urls import path

from . import views, views_problems, views_showcase

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("<int:pk>/", views.project_detail, name="project_detail"),
    path("<int:project_pk>/problems/new/", views_problems.problem_create, name="problem_create"),
    path("problems/", views_problems.problem_list, name="problem_list"),
    path("problems/<int:pk>/", views_problems.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/<slug:action>/", views_problems.problem_action, name="problem_action"),
    path("showcases/", views_showcase.showcase_list, name="showcase_list"),
    path("showcases/<int:pk>/", views_showcase.showcase_board, name="showcase_board"),
    path("showcases/<int:pk>/rehearsal/", views_showcase.showcase_rehearsal, name="showcase_rehearsal"),
    path(
        "showcases/<int:pk>/projects/<int:project_pk>/",
        views_showcase.showcase_assess,
        name="showcase_assess",
    ),
    path("showcase-gaps/<int:pk>/convert/", views_showcase.gap_convert, name="gap_convert"),
]
