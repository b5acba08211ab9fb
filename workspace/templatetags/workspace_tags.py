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


@register.inclusion_tag("workspace/includes/ward_youth_services.html")
def ward_youth_services(ward) -> dict:
    """The youth services of a ward (one query), for the ward's and a school's admin pages."""
    services = [] if ward is None else list(ward.youth_services.select_related("last_contact_by"))
    return {"ward": ward, "youth_services": services}
