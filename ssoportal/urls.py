from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import TemplateView

# Every app's admin.py registers its models here, when the URLs are first loaded, not in every
# process's start-up (core.admin_apps).
admin.autodiscover()
admin.site.site_header = "SSO Portal administration"
admin.site.site_title = "SSO Portal"
admin.site.index_title = "Deployment of Safer Schools Officers"
# No navigation sidebar: its 276 px made the managers' lists scroll sideways at 1,280 px. The
# start page and the "Home" breadcrumb lead to every section instead.
admin.site.enable_nav_sidebar = False

# A static page for an error, and a 503 "nothing was saved, try again" when the database is down.
handler500 = "core.views.server_error"

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/mfa/", include("mfa.urls")),
    # The BCU manager's start page, and the admin index that sends them to it.
    path("admin/", include("desk.urls")),
    path("admin/", admin.site.urls),
    path("searches/", include("searches.urls")),
    path("workspace/", include("workspace.urls")),
    path("api/", include("api.urls")),
    path("portal/subject-access/", include("retention.urls")),
    path("portal/casework/", include("casework.urls")),
    path("portal/", include("safeguarding.urls")),
    # /health/ for container health checks and load balancers.
    path("", include("core.urls")),
    # /portal/staff/... (a DSL's staff and invitations) and /invitations/<token>/ (an invitation's link).
    path("", include("invitations.urls")),
    # /portal/safeguarding-statement/... (a school's statement) and /schools/<URN>/safeguarding-statement/ (public).
    path("", include("statements.urls")),
]
