import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Photos go to a throwaway MEDIA_ROOT; mail to the in-memory outbox."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return settings.MEDIA_ROOT
