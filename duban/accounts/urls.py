from django.urls import path

from . import views, views_admin

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/otp/", views.login_otp_view, name="login_otp"),
    path("logout/", views.logout_view, name="logout"),
    path("profile/", views.profile_view, name="profile"),
    path("password/", views.password_change_view, name="password_change"),
    path("otp/", views.otp_setup_view, name="otp_setup"),
    path("otp/disable/", views.otp_disable_view, name="otp_disable"),
    path("users/", views_admin.user_list, name="user_list"),
    path("users/new/", views_admin.user_create, name="user_create"),
    path("users/<int:pk>/", views_admin.user_detail, name="user_detail"),
    path("users/<int:pk>/edit/", views_admin.user_edit, name="user_edit"),
    path("users/<int:pk>/active/", views_admin.user_set_active, name="user_set_active"),
    path("users/<int:pk>/password/", views_admin.user_reset_password, name="user_reset_password"),
    path("users/<int:pk>/otp/reset/", views_admin.user_reset_otp, name="user_reset_otp"),
    path("grants/", views_admin.grant_list, name="grant_list"),
    path("grants/new/", views_admin.grant_create, name="grant_create"),
    path("grants/<int:pk>/revoke/", views_admin.grant_revoke, name="grant_revoke"),
]
