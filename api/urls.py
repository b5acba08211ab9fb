from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

# Registers the bearer-token scheme with drf-spectacular before any schema is generated: every
# schema (the schema view, `manage.py spectacular`, the contract tests) is generated from this URLconf.
from . import schema  # noqa: F401
from .views.activity import ActivitySummaryView
from .views.base import UnknownPathView
from .views.changes import ChangeFeedView
from .views.dsl_contacts import DSLContactViewSet
from .views.postings import PostingViewSet
from .views.schools import SchoolViewSet
from .views.statistics import ConcernStatisticsViewSet, SearchStatisticsView
from .views.training import TrainingComplianceViewSet

# One line per endpoint area (each in its own module under api/views/).
router = SimpleRouter()
router.register("schools", SchoolViewSet, basename="school")
router.register("postings", PostingViewSet, basename="posting")
router.register("dsl-contacts", DSLContactViewSet, basename="dsl-contact")
router.register("training-compliance", TrainingComplianceViewSet, basename="training-compliance")
router.register("concern-statistics", ConcernStatisticsViewSet, basename="concern-statistics")

v1_patterns = [
    path("", include(router.urls)),
    path("search-statistics/", SearchStatisticsView.as_view(), name="search-statistics"),
    path("activity-summary/", ActivitySummaryView.as_view(), name="activity-summary"),
    path("changes/", ChangeFeedView.as_view(), name="changes"),
    # Last: any other path is a JSON 404, as the contract declares, never the portal's HTML page.
    re_path(r"^[\s\S]*$", UnknownPathView.as_view(), name="unknown-path"),
]

# Swagger UI under the Content-Security-Policy: its set-up script comes from this same URL with
# ?script (the split view) instead of inline, and its stylesheet's icons are data: images.
api_docs = csp_update({"img-src": ["data:"]})(
    SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html")
)

urlpatterns = [
    path("v1/", include((v1_patterns, "api"), namespace="v1")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", api_docs, name="api-docs"),
]
