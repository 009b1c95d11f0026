import pytest
from django.test.utils import modify_settings


@pytest.fixture
def fake_blocks():
    """The seed's factor figures registered the way a real app registers its blocks."""
    with modify_settings(INSTALLED_APPS={"append": "tests.report.fakeblocks"}):
        yield


@pytest.fixture
def demo_world(db):
    from keyprojects.demo import data as demo

    demo.load()
    from keyprojects.core.models import User

    return {u.username: u for u in User.objects.all()}
