from django.urls import path

from . import views

app_name = "tasks"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("board/", views.board, name="board"),
    path("<int:pk>/", views.task_detail, name="detail"),
    path("<int:pk>/extensions/<int:ext_pk>/", views.extension_decide, name="extension_decide"),
    path("<int:pk>/<str:action>/", views.task_action, name="action"),
]
