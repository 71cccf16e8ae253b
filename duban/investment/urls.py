from django.urls import path

from . import views, views_board

app_name = "investment"

urlpatterns = [
    path("", views_board.pipeline, name="pipeline"),
    path("leads/", views.lead_list, name="lead_list"),
    path("leads/new/", views.lead_create, name="lead_create"),
    path("leads/<int:pk>/", views.lead_detail, name="lead_detail"),
    path("leads/<int:pk>/edit/", views.lead_edit, name="lead_edit"),
    path("leads/<int:pk>/move/<slug:action>/", views.lead_move, name="lead_move"),
    path("leads/<int:pk>/follow-ups/", views.follow_up_add, name="follow_up_add"),
    path("leads/<int:pk>/phone/", views.reveal_phone, name="reveal_phone"),
    path("pairings/", views_board.pairing_matrix, name="pairing_matrix"),
    path("pairings/new/", views_board.pairing_create, name="pairing_create"),
    path("targets/", views_board.targets, name="targets"),
    path("targets/<int:unit_pk>/<slug:basis>/", views_board.target_edit, name="target_edit"),
    path("duplicates/", views_board.duplicates, name="duplicates"),
    path("duplicates/<int:pk>/settle/", views_board.duplicate_settle, name="duplicate_settle"),
]
