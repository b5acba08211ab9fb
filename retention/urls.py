from django.urls import path

from retention import views

app_name = "retention"

urlpatterns = [
    path("pupil/", views.pupil_export, name="pupil-export"),
]
