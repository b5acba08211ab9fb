from django.urls import path

from . import views

app_name = "workspace"

urlpatterns = [
    path("", views.my_schools, name="my-schools"),
    path("activities/", views.activity_list, name="activity-list"),
    path("activities/new/", views.activity_choose, name="activity-choose"),
    path("activities/new/<int:category_id>/", views.activity_create, name="activity-create"),
    path("activities/<int:activity_id>/", views.activity_detail, name="activity-detail"),
    path("youth-services/", views.youth_service_list, name="youth-service-list"),
    path("youth-services/new/", views.youth_service_edit, name="youth-service-create"),
    path("youth-services/<int:service_id>/", views.youth_service_edit, name="youth-service-edit"),
    path("activity-summary/", views.activity_summary, name="activity-summary"),
    path("concerns/", views.concerns_passed, name="concerns-passed"),
    path("concerns/new/", views.concern_pass, name="concern-pass"),
    path("schools/<int:school_id>/touchdown-point/", views.touchdown_point, name="touchdown-point"),
]
