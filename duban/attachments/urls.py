from django.urls import path

from . import views

app_name = "attachments"
urlpatterns = [
    path("of/<str:label>/<str:object_id>/", views.panel, name="panel"),
    path("of/<str:label>/<str:object_id>/upload/", views.upload, name="upload"),
    path("<int:pk>/download/", views.download, name="download"),
    path("<int:pk>/image/", views.image, name="image"),
    path("<int:pk>/thumbnail/", views.thumbnail, name="thumbnail"),
    path("<int:pk>/remove/", views.remove, name="remove"),
]
