from django.urls import path

from . import views, views_calendar, views_edit, views_evaluation

app_name = "tasks"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("board/", views.board, name="board"),
    path("board/assign/", views_edit.bulk_assign, name="bulk_assign"),
    path("ranking/", views_evaluation.ranking, name="ranking"),
    path("calendar/", views_calendar.deadline_calendar, name="calendar"),
    path("meetings/", views_edit.meeting_list, name="meeting_list"),
    path("meetings/new/", views_edit.meeting_form, name="meeting_new"),
    path("meetings/<int:pk>/", views_edit.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views_edit.meeting_form, name="meeting_edit"),
    path("instructions/new/", views_edit.instruction_form, name="instruction_new"),
    path("instructions/<int:pk>/", views_edit.instruction_detail, name="instruction_detail"),
    path("instructions/<int:pk>/edit/", views_edit.instruction_form, name="instruction_edit"),
    path("new/", views_edit.task_form, name="task_new"),
    path("<int:pk>/", views.task_detail, name="detail"),
    path("<int:pk>/edit/", views_edit.task_form, name="task_edit"),
    path("<int:pk>/split/", views_edit.task_split, name="task_split"),
    path("<int:pk>/extensions/<int:ext_pk>/", views.extension_decide, name="extension_decide"),
    path("<int:pk>/<str:action>/", views.task_action, name="action"),
]
