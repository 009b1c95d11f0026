"""Template flags (perms_kp): core's role flags plus each app's, merged through
AppConfig.capabilities so core imports no domain app."""

import pytest

from keyprojects.core.context import capabilities

pytestmark = pytest.mark.django_db

KEYS = ["view_business", "office", "leader", "reporter", "create_project", "review_reports"]


@pytest.mark.parametrize(
    "principal, flags",
    [
        ("office", [True, True, False, False, True, True]),
        ("reporter", [True, False, False, True, True, False]),
        ("leader", [True, False, True, False, False, False]),
        ("sysadmin", [False, False, False, False, False, False]),
    ],
)
def test_capabilities_merge_role_and_app_flags(request, principal, flags):
    user = request.getfixturevalue(principal)
    assert capabilities(user) == dict(zip(KEYS, flags, strict=True))
