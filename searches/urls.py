from django.urls import path

from . import views

app_name = "searches"

urlpatterns = [
    path("summary/", views.summary, name="summary"),
]
