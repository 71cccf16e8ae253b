from django.urls import path

from . import views_rectifications

app_name = "campaigns"
urlpatterns = [
    path("rectifications/<int:pk>/", views_rectifications.rectification_detail, name="rectification"),
    path(
        "rectifications/<int:pk>/<str:move>/",
        views_rectifications.rectification_move,
        name="rectification_move",
    ),
]
