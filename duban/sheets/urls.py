from django.urls import path, re_path

from . import views

app_name = "sheets"
urlpatterns = [
    path("", views.sheet_index, name="index"),
    path("<slug:key>/template.xlsx", views.template_download, name="template"),
    re_path(r"^(?P<key>[-\w]+)/export\.(?P<fmt>xlsx|csv)$", views.export, name="export"),
    path("<slug:key>/import/", views.import_upload, name="import"),
    path("<slug:key>/import/<str:token>/confirm/", views.import_confirm, name="import_confirm"),
    path("<slug:key>/import/jobs/<int:job_id>/", views.import_job, name="import_job"),
]
