from django.urls import path

from safeguarding import record_views, views

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
    # The school's safeguarding record: staff reports and their triage, pupils, tasks, body maps.
    path("reports/", record_views.staff_reports, name="staff-reports"),
    path("reports/new/", record_views.staff_report_create, name="staff-report-create"),
    path("triage/", record_views.triage_list, name="triage"),
    path("triage/<int:report_id>/", record_views.triage_report, name="triage-report"),
    path("triage/<int:report_id>/accept/", record_views.triage_accept, name="triage-accept"),
    path("triage/<int:report_id>/link/", record_views.triage_link, name="triage-link"),
    path("triage/<int:report_id>/close/", record_views.triage_close, name="triage-close"),
    path("pupils/", record_views.pupil_list, name="pupil-list"),
    path("pupils/<int:pupil_id>/", record_views.pupil_detail, name="pupil-detail"),
    path("pupils/<int:pupil_id>/tasks/new/", record_views.task_create, name="task-create"),
    path("tasks/", record_views.my_tasks, name="my-tasks"),
    path("tasks/<int:task_id>/done/", record_views.task_complete, name="task-complete"),
    path("concerns/<int:concern_id>/body-map/", record_views.body_map, name="body-map"),
]
