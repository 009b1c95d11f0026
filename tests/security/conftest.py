import pytest


@pytest.fixture(autouse=True)
def _own_audit_anchors(settings, tmp_path):
    # Each test's audit chain starts empty; so do its anchors outside the database.
    settings.KP_AUDIT_ANCHOR_FILE = tmp_path / "audit-anchors.log"
