"""Writes of the dashboard app: boundaries and the base-map settings."""

from django.db import transaction

from keyprojects import geo
from keyprojects.core.versioning import save_versioned
from keyprojects.dashboard.models import Boundary, MapSettings


@transaction.atomic
def add_boundary(
    *, name: str, level: str, data, system: str, note: str = "", illustrative=False, by
) -> Boundary:
    """Check an uploaded GeoJSON boundary, convert it to WGS-84 and store it.

    Side effects: one Boundary row and its history row. Raises geo.BoundaryError (Chinese
    reason) for a file that is not a longitude/latitude boundary; nothing is stored then.
    """
    geo.check_boundary(data)
    boundary = Boundary(
        name=name,
        level=level,
        geojson=geo.boundary_to_storage(data, system),
        source_system=system,
        note=note,
        illustrative=illustrative,
        uploaded_by=by,
    )
    return save_versioned(boundary, by=by, expected_version=None, reason="上传边界")


@transaction.atomic
def delete_boundary(boundary: Boundary, *, by) -> None:
    """Side effects: the row is deleted; its history keeps who removed it and when."""
    boundary._history_user = by
    boundary.delete()


@transaction.atomic
def save_map_settings(settings_row: MapSettings, *, by, expected_version: int | None):
    """Side effects: the single settings row (pk=1) saved with history; stale edits refused."""
    settings_row.pk = 1
    if not MapSettings.objects.filter(pk=1).exists():
        # The first save creates the row: nobody can have changed it since.
        settings_row._history_user = by
        settings_row.save(force_insert=True)
        return settings_row
    return save_versioned(settings_row, by=by, expected_version=expected_version)
