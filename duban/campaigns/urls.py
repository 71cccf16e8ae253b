from django.urls import path

from . import views, views_bulletin, views_rectifications, views_scoring

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("towns/<int:pk>/", views.town_detail, name="town_detail"),
    path("rounds/<int:pk>/bulletin/", views_bulletin.bulletin, name="bulletin"),
    path("rounds/<int:pk>/bulletin.<str:fmt>", views_bulletin.bulletin_file, name="bulletin_file"),
    path("rounds/<int:pk>/sanctions/<str:move>/", views_bulletin.sanction_move, name="sanction_move"),
    path("sanctions/<int:pk>/adjust/", views_bulletin.sanction_adjust, name="sanction_adjust"),
    path("rounds/<int:round_pk>/sites/<int:site_pk>/", views_scoring.score_site, name="score_site"),
    path(
        "rounds/<int:round_pk>/sites/<int:site_pk>/submit/",
        views_scoring.submit_site_score,
        name="submit_score",
    ),
    path("deductions/<int:pk>/rectify/", views_scoring.issue_rectification, name="issue_rectification"),
    path("rectifications/<int:pk>/", views_rectifications.rectification_detail, name="rectification"),
    path(
        "rectifications/<int:pk>/<str:move>/",
        views_rectifications.rectification_move,
        name="rectification_move",
    ),
]
