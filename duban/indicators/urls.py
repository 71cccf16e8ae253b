from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.board, name="board"),
    path("lagging/", views.lagging, name="lagging"),
    path("<int:pk>/", views.indicator_detail, name="indicator_detail"),
]
