from django.urls import path

from statements import views

app_name = "statements"

# Included at the site's root: the portal's pages under /portal/, the public page under /schools/.
urlpatterns = [
    path("portal/safeguarding-statement/", views.overview, name="overview"),
    path("portal/safeguarding-statement/schools/<int:school_id>/draft/", views.edit_draft, name="draft"),
    path("portal/safeguarding-statement/<int:statement_id>/", views.version, name="version"),
    path("portal/safeguarding-statement/<int:statement_id>/sign/", views.sign, name="sign"),
    path("portal/safeguarding-statement/<int:statement_id>/publication/", views.publication, name="publication"),
    path("schools/<str:urn>/safeguarding-statement/", views.public_statement, name="public"),
]
