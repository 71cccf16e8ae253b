from django.urls import path

from . import views, views_problems

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("<int:pk>/", views.project_detail, name="project_detail"),
    path("<int:project_pk>/problems/new/", views_problems.problem_create, name="problem_create"),
    path("problems/", views_problems.problem_list, name="problem_list"),
    path("problems/<int:pk>/", views_problems.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/<slug:action>/", views_problems.problem_action, name="problem_action"),
]
