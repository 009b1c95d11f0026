import pytest


@pytest.fixture(autouse=True)
def _immediate_tasks(settings, tmp_path):
    """Background tasks run at once in tests; uploads go to a per-test folder."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
