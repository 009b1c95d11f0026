"""Role × URL expectations for the quarterly report pages (contract: tests/matrix.py)."""

from tests.matrix import ANON, Case, business


def build(world):
    """A generated report of `world.dept` and a free paragraph of the county report."""
    from keyprojects.report import services

    office = world.users["office"]
    world.extra["generated"] = services.generate(2022, 1, by=office, department=world.dept)
    world.extra["note"] = services.add_note(
        year=2022, quarter=1, department=None, part=1, text="补充说明。", by=office
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


OFFICE_ONLY = _roles(200, 403, 403, 403)
OFFICE_POST = _roles(302, 403, 403, 403)

CASES = [
    # A reporter's report is their department's: each sees their own.
    Case("report:quarterly", business(200, other=200), query="?year=2022&quarter=1"),
    Case(
        "report:generate",
        business(302, other=302),
        method="post",
        data=lambda w: {"year": 2022, "quarter": 1},
    ),
    Case("report:generated_download", business(200), args=lambda w: [w.generated.pk]),
    Case(
        "report:generated_issue",
        _roles(302, 403, 404, 403),
        args=lambda w: [w.generated.pk],
        method="post",
    ),
    Case("report:wording_list", OFFICE_ONLY),
    Case("report:wording_edit", OFFICE_ONLY, args=lambda w: ["county"]),
    Case(
        "report:wording_edit",
        OFFICE_POST,
        args=lambda w: ["county"],
        method="post",
        data=lambda w: {"heading": "", "body": "已开工{{ county.started }}个。", "version": 0},
    ),
    Case(
        "report:note_add",
        OFFICE_POST,
        method="post",
        data=lambda w: {"year": 2022, "quarter": 1, "part": 2, "text": "补充。"},
    ),
    Case("report:note_delete", OFFICE_POST, args=lambda w: [w.note.pk], method="post"),
]
