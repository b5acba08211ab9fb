from django.urls import path

from casework import views

app_name = "casework"

urlpatterns = [
    path("transfers/", views.transfer_list, name="transfer-list"),
    path("transfers/new/", views.transfer_create, name="transfer-create"),
    path("transfers/new/outside/", views.transfer_create_outside, name="transfer-create-outside"),
    path("transfers/<int:transfer_id>/", views.transfer_detail, name="transfer-detail"),
    path("transfers/<int:transfer_id>/acknowledge/", views.transfer_acknowledge, name="transfer-acknowledge"),
    path("transfers/<int:transfer_id>/receipt/", views.transfer_receipt, name="transfer-receipt"),
    path("police-attendance/", views.attendance_list, name="attendance-list"),
    path("police-attendance/new/", views.attendance_create, name="attendance-create"),
    path("challenges/", views.challenge_list, name="challenge-list"),
    path("challenges/new/", views.challenge_create, name="challenge-create"),
    path("challenges/statistics/", views.challenge_statistics, name="challenge-statistics"),
    path("challenges/<int:challenge_id>/", views.challenge_detail, name="challenge-detail"),
    path("challenges/<int:challenge_id>/responses/", views.challenge_respond, name="challenge-respond"),
    path("challenges/<int:challenge_id>/escalate/", views.challenge_escalate, name="challenge-escalate"),
    path("challenges/<int:challenge_id>/resolve/", views.challenge_resolve, name="challenge-resolve"),
]
