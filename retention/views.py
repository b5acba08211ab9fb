"""The DSL's subject access export for a pupil, in the portal."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from retention.exports import Export, export_pupil
from retention.forms import PupilExportForm
from schools.models import School


def zip_response(export: Export) -> FileResponse:
    response = FileResponse(export.file, as_attachment=True, filename=export.filename, content_type="application/zip")
    response["Cache-Control"] = "no-store"
    return response


@sensitive_post_parameters("pupil_reference")  # kept out of error reports
@require_http_methods(["GET", "POST"])
@login_required
def pupil_export(request: HttpRequest) -> HttpResponse:
    roles = request.portal_roles
    if not roles.is_dsl:
        raise PermissionDenied
    schools = School.objects.visible_to(roles).filter(pk__in=roles.dsl_school_ids).order_by("name")
    posted = request.method == "POST"
    form = PupilExportForm(request.POST if posted else None, roles=roles, schools=schools)
    if posted and form.is_valid():
        export = export_pupil(
            roles=roles, school=form.cleaned_data["school"], pupil_reference=form.cleaned_data["pupil_reference"]
        )
        return zip_response(export)
    return render(request, "retention/pupil_export.html", {"form": form})
