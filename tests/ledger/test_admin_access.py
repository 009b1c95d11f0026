"""The office maintains reference data in the admin; no other role gets in."""

import pytest

from keyprojects.core.choices import Role
from keyprojects.core.signals import OFFICE_GROUP
from tests import factories

pytestmark = pytest.mark.django_db


def test_office_reaches_reference_data_only(client_for, office):
    office.refresh_from_db()
    assert office.is_staff and office.groups.filter(name=OFFICE_GROUP).exists()
    c = client_for(office)
    assert c.get("/admin/core/department/").status_code == 200
    assert c.get("/admin/ledger/yearschedule/add/").status_code == 200
    assert c.get("/admin/core/user/").status_code == 403
    assert c.get("/admin/ledger/project/").status_code == 403


@pytest.mark.parametrize("role", [Role.LEADER, Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN])
def test_other_roles_are_not_staff(client_for, role):
    user = factories.user(role)
    user.refresh_from_db()
    assert not user.is_staff
    assert client_for(user).get("/admin/core/department/").status_code == 302


def test_leaving_the_office_role_removes_admin_access(office):
    office.role = Role.LEADER
    office.save()
    office.refresh_from_db()
    assert not office.is_staff and not office.groups.exists()
