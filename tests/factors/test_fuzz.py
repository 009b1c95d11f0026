"""Hostile values in every factor form: never a 500, refused with Chinese messages, and what is
saved shows again (the harness of tests/test_fuzz_forms.py)."""

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from keyprojects.factors.tables import TABLES
from tests.factors.url_matrix import build
from tests.matrix import World
from tests.test_fuzz_forms import FUZZ, VALUE, assert_chinese_errors, baseline

pytestmark = pytest.mark.django_db

SLUGS = list(TABLES)


@pytest.fixture
def fuzz_world(dept, other_dept, office, project):
    w = World(dept=dept, other_dept=other_dept, project=project, users={"office": office})
    build(w)
    return w


def _post(client, url, data):
    with transaction.atomic():
        response = client.post(url, data)
        if response.status_code == 302:
            shown = client.get(response.url)
            assert shown.status_code == 200, (shown.status_code, data)
        transaction.set_rollback(True)
    return response


def _endpoint(w, slug):
    t = TABLES[slug]
    obj = getattr(w, slug)
    data = baseline(t.form(instance=obj, user=w.users["office"]))
    if "projects" in data:
        data["projects"] = [str(p.pk) for p in obj.projects.all()]
    return reverse("factors:edit", args=[slug, obj.pk]), data


@pytest.mark.parametrize("slug", SLUGS)
def test_baseline_is_accepted(slug, fuzz_world, client_for):
    url, data = _endpoint(fuzz_world, slug)
    response = _post(client_for(fuzz_world.users["office"]), url, data)
    assert response.status_code == 302, assert_chinese_errors(response, ("form",), {})


@pytest.mark.parametrize("slug", SLUGS)
def test_hostile_values(slug, fuzz_world, client_for):
    url, data = _endpoint(fuzz_world, slug)
    client = client_for(fuzz_world.users["office"])

    @FUZZ
    @given(mutated=st.dictionaries(st.sampled_from(sorted(data)), VALUE, min_size=1, max_size=3))
    def run(mutated):
        response = _post(client, url, {**data, **mutated})
        assert_chinese_errors(response, ("form",), mutated)

    run()
