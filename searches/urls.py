from django.urls import path

from . import views

app_name = "searches"

urlpatterns = [
    path("summary/", views.summary, name="summary"),
    path("record/", views.record_choose, name="record-choose"),
    path("record/<str:search_type>/", views.record, name="record"),
    path("mine/", views.my_searches, name="my-searches"),
    path("mine/<int:search_id>/", views.my_search, name="my-search"),
]
