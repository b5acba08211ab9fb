from django.urls import path

from . import views

app_name = "desk"

# Included at admin/, before the admin's own URLs: the index is answered here first.
urlpatterns = [
    path("", views.admin_home, name="admin-home"),
    path("desk/", views.start, name="start"),
]
