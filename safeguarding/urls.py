from django.urls import path

from safeguarding import views

app_name = "safeguarding"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("concerns/", views.concern_list, name="concern-list"),
    path("concerns/new/", views.concern_create, name="concern-create"),
    path("concerns/<int:concern_id>/", views.concern_detail, name="concern-detail"),
    path("concerns/<int:concern_id>/actions/", views.concern_add_action, name="concern-add-action"),
    path("concerns/<int:concern_id>/status/", views.concern_change_status, name="concern-change-status"),
    path("concerns/<int:concern_id>/share/", views.concern_share, name="concern-share"),
    path(
        "concerns/<int:concern_id>/notices/send-again/", views.concern_send_notices_again, name="concern-notices-again"
    ),
    path("concerns/<int:concern_id>/attachments/", views.concern_add_attachment, name="concern-add-attachment"),
    path(
        "concerns/<int:concern_id>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment-download",
    ),
    path("access-log/", views.access_log, name="access-log"),
    path("contact-details/", views.contact_details, name="contact-details"),
    path("statistics/", views.statistics, name="statistics"),
]
