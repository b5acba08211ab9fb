from django.urls import path

from invitations import views

app_name = "invitations"

# Included at the site's root: the staff pages belong to the DSL portal (/portal/), the link's page does not.
urlpatterns = [
    path("portal/staff/", views.staff, name="staff"),
    path("portal/staff/invite/", views.invite_staff, name="staff-invite"),
    path("portal/staff/invitations/<int:invitation_id>/withdraw/", views.withdraw, name="staff-invitation-withdraw"),
    path("invitations/<str:token>/", views.accept, name="accept"),
]
