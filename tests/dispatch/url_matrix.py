"""Role × URL expectations for the dispatch pages (contract: tests/matrix.py)."""

from tests.matrix import ANON, Case, business


def build(world):
    """A submitted report and a draft report (with one photo) on `world.project`."""
    from django.core.files.base import ContentFile

    from keyprojects.dispatch.choices import ReportStatus
    from keyprojects.dispatch.models import ReportPhoto
    from tests import factories

    world.extra["submitted"] = factories.report(
        world.project, 2, "10", status=ReportStatus.SUBMITTED
    )
    draft = factories.report(world.project, 3, "10", status=ReportStatus.DRAFT)
    world.extra["draft"] = draft
    photo = ReportPhoto(report=draft, content_type="image/png", original_name="p.png")
    photo.image.save("p.png", ContentFile(_PNG), save=False)
    photo.save()
    world.extra["photo"] = photo


# A 1×1 PNG.
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def _roles(office, reporter, other, leader, admin=403):
    return {
        "anonymous": ANON,
        "office": office,
        "reporter": reporter,
        "other_reporter": other,
        "leader": leader,
        "sysadmin": admin,
        "secadmin": admin,
        "auditadmin": admin,
    }


ALL_READ = business(200, other=200)  # lists scoped to the user: another department sees its own

# A draft stays with its department and the office: the leader gets 404 on w.draft as another
# department does (issue 22).
CASES = [
    Case("dispatch:report_list", ALL_READ),
    Case("dispatch:report_list", ALL_READ, query="?month=2022-03&status=draft"),
    Case("dispatch:report_create", _roles(200, 200, 200, 403)),
    Case("dispatch:report_detail", business(200), args=lambda w: [w.submitted.pk]),
    Case("dispatch:report_edit", _roles(200, 200, 404, 404), args=lambda w: [w.draft.pk]),
    Case(
        "dispatch:report_submit",
        _roles(302, 302, 404, 404),
        args=lambda w: [w.draft.pk],
        method="post",
        data=lambda w: {"version": w.draft.version},
    ),
    Case(
        "dispatch:report_approve",
        _roles(302, 403, 404, 403),
        args=lambda w: [w.submitted.pk],
        method="post",
        data=lambda w: {"version": w.submitted.version},
    ),
    Case(
        "dispatch:report_return",
        _roles(302, 403, 404, 403),
        args=lambda w: [w.submitted.pk],
        method="post",
        data=lambda w: {"comment": "请补充现场照片", "version": w.submitted.version},
    ),
    Case(
        "dispatch:photo_upload",
        _roles(400, 400, 404, 404),
        args=lambda w: [w.draft.pk],
        method="post",
        note="no file sent: the form refuses it (400) for those who may upload",
    ),
    Case(
        "dispatch:photo_view",
        _roles(200, 200, 404, 404),
        args=lambda w: [w.draft.pk, w.photo.pk],
    ),
    Case(
        "dispatch:photo_delete",
        _roles(302, 302, 404, 404),
        args=lambda w: [w.draft.pk, w.photo.pk],
        method="post",
    ),
    Case("dispatch:due", ALL_READ, query="?month=2022-03"),
    Case(
        "dispatch:due_remind",
        _roles(302, 403, 403, 403),
        method="post",
        data=lambda w: {"month": "2022-03"},
    ),
    Case("dispatch:template_list", ALL_READ),
    Case("dispatch:template_edit", _roles(200, 403, 403, 403), args=lambda w: ["infrastructure"]),
    Case("dispatch:plan", _roles(200, 200, 404, 403), args=lambda w: [w.project.pk]),
    Case("dispatch:wall_chart", ALL_READ, query="?year=2022"),
    Case("dispatch:wall_chart_svg", ALL_READ, query="?year=2022"),
    Case(
        "dispatch:wall_chart_pdf",
        ALL_READ,
        query="?year=2022",
        note="runs headless Chromium (503 where none is installed)",
    ),
    Case("dispatch:brief", ALL_READ, query="?month=2022-03"),
    Case("dispatch:brief_docx", ALL_READ, query="?month=2022-03"),
]

CASES.append(
    Case(
        "dispatch:report_milestones",
        _roles(302, 302, 404, 404),
        args=lambda w: [w.draft.pk],
        method="post",
        data=lambda w: {f"ms_{w.milestone.pk}": "2022-03-10"},
        note="world.milestone (planned 2022-02-01, open) is recorded reached on 2022-03-10",
    )
)
