from django.urls import path

from cooperative.accounts import views

urlpatterns = [
    path("anzeigename/", views.display_name_edit, name="account_display_name"),
    path("benachrichtigungen/", views.mail_settings_edit, name="account_mail_settings"),
]
