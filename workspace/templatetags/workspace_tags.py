"""Template tags of the workspace for pages of the apps below it (the posting's admin page)."""

from django import template
from django.utils import timezone

from workspace.models import Objective
from workspace.selectors import objective_progress

register = template.Library()


@register.inclusion_tag("workspace/includes/posting_objectives.html")
def posting_objectives(posting) -> dict:
    """A posting's objectives and its progress against each, from the activity log (two queries)."""
    objectives = list(Objective.objects.filter(posting=posting).select_related("category"))
    for objective in objectives:
        objective.posting = posting
    return {"progress": objective_progress(objectives=objectives, on=timezone.localdate()), "posting": posting}
