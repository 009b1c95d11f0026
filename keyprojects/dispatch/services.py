"""Writes to monthly reports: every change of a report, photo or plan goes through here.

A report's state changes only through the transitions named in TRANSITIONS (one table):
the department drafts and submits; the office approves (figures then count everywhere) or
returns with a comment (the department edits and submits again). Web forms, the Excel
importer and commands call the same functions, so a rule lives in one place.
Each function is one transaction and writes a history row (django-simple-history).
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from keyprojects import months
from keyprojects.core.errors import NotAllowed
from keyprojects.core.permissions import is_office
from keyprojects.core.versioning import save_versioned
from keyprojects.dispatch import rules
from keyprojects.dispatch.choices import EDITABLE, SUBMITTED_STATES, ReportStatus
from keyprojects.dispatch.models import MonthlyReport


def deadline(year: int, month: int) -> date:
    """Reports for a month are due on KP_REPORT_DEADLINE_DAY of the next month."""
    return months.report_deadline(year, month, settings.KP_REPORT_DEADLINE_DAY)


def is_late(year: int, month: int, when: datetime) -> bool:
    return timezone.localtime(when).date() > deadline(year, month)


# --- Transitions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]  # states the report may be in
    target: str
    reason: str  # history change reason
    refused: str  # NotAllowed message; {status} is the report's current state


TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(EDITABLE, ReportStatus.SUBMITTED, "报送", "该报告{status}，不能重复报送"),
    "approve": Transition(
        (ReportStatus.SUBMITTED,), ReportStatus.APPROVED, "审核通过", "只有已报送的报告可以审核"
    ),
    "return_report": Transition(
        (ReportStatus.SUBMITTED,), ReportStatus.RETURNED, "退回", "只有已报送的报告可以退回"
    ),
}


def allowed_transitions(report: MonthlyReport) -> list[str]:
    """Names of the transitions a report may take now (the permission check is separate)."""
    return [name for name, t in TRANSITIONS.items() if report.status in t.sources]


def _refusal(report: MonthlyReport, name: str) -> NotAllowed | None:
    transition = TRANSITIONS[name]
    if report.status not in transition.sources:
        return NotAllowed(transition.refused.format(status=report.get_status_display()))
    return None


def _move(report: MonthlyReport, name: str) -> Transition:
    refused = _refusal(report, name)
    if refused:
        raise refused
    report.status = TRANSITIONS[name].target
    return TRANSITIONS[name]


def locked_message(report: MonthlyReport) -> str:
    """Why a submitted or approved report cannot be changed: the web page, the Excel import
    and the commands say the same (only a transition — approve, return — changes it)."""
    return f"该报告{report.get_status_display()}，不能再修改"


def _reason(action: str, note: str) -> str:
    return f"{action}（{note}）" if action and note else action or note


@transaction.atomic
def save_draft(
    report: MonthlyReport,
    *,
    by,
    expected_version: int | None = None,
    note: str = "",
    today: date | None = None,
):
    """Create or change a draft (or a returned report). A new report must pass
    start_errors (a started project, a month from its start); a submitted or approved one is
    refused (locked_message). `note` names the change set (e.g. Excel导入 #12) in history."""
    if report.pk and report.status not in EDITABLE:
        raise NotAllowed(locked_message(report))
    if report.pk is None:
        errors = start_errors(
            report.project, report.year, report.month, today=today or timezone.localdate()
        )
        if errors:
            raise NotAllowed("；".join(errors))
    report.status = ReportStatus.DRAFT if report.status not in EDITABLE else report.status
    note = _mark_proxy(report, by, note)
    return save_versioned(report, by=by, expected_version=expected_version, reason=note)


def _mark_proxy(report: MonthlyReport, by, note: str) -> str:
    """The office writing a department's report files it on the department's behalf (代报):
    the report keeps who did it and the history row says so."""
    if by is not None and is_office(by):
        report.proxy_by = by
        # An import already names its change set (Excel导入 #12); the 代报人 field change in the
        # same history row says who filed it.
        return note or "代报"
    return note


@transaction.atomic
def submit(
    report: MonthlyReport, *, by, expected_version: int | None = None, when=None, note: str = ""
):
    """draft/returned → submitted.

    Side effects: submitted_at/by set to `when` (default now) and `by`; the first submission's
    time is kept in first_submitted_at and is_late is judged on it (late = after the deadline:
    allowed, but visible), so correcting a returned report does not make it late; a history
    row with reason 报送 (and the import's note).
    """
    transition = _move(report, "submit")
    when = when or timezone.now()
    report.submitted_at, report.submitted_by = when, by
    if report.first_submitted_at is None:
        report.first_submitted_at = when
    report.is_late = is_late(report.year, report.month, report.first_submitted_at)
    return save_versioned(
        report,
        by=by,
        expected_version=expected_version,
        reason=_reason(transition.reason, _mark_proxy(report, by, note)),
    )


@transaction.atomic
def approve(
    report: MonthlyReport, *, by, expected_version: int | None = None, when=None, note: str = ""
):
    """submitted → approved; from now on its figures count in every statistic.

    Side effects: reviewed_at/by set, review comment cleared, a history row (审核通过, and the
    import's note when an office import approves).
    """
    transition = _move(report, "approve")
    report.reviewed_at, report.reviewed_by = when or timezone.now(), by
    report.review_comment = ""
    return save_versioned(
        report,
        by=by,
        expected_version=expected_version,
        reason=_reason(transition.reason, note),
    )


@transaction.atomic
def return_report(
    report: MonthlyReport, *, by, comment: str, expected_version: int | None = None, when=None
):
    """submitted → returned, with the office's comment (required).

    Side effects: reviewed_at/by and review_comment set, a history row (退回); the department
    sees it in its to-do list.
    """
    if report.status in TRANSITIONS["return_report"].sources and not comment.strip():
        raise NotAllowed("退回时请填写退回意见")
    transition = _move(report, "return_report")
    report.reviewed_at, report.reviewed_by = when or timezone.now(), by
    report.review_comment = comment.strip()
    return save_versioned(
        report, by=by, expected_version=expected_version, reason=transition.reason
    )


# --- Many reports at once (the Excel import) ---------------------------------------------------


@dataclass
class ImportRow:
    """One report of an import: `report` is new (unsaved, project/year/month set) or loaded;
    `values` are the fields the file sets. approve_only: the file confirms a submitted report
    as it is (only the approve transition, and only when the import approves)."""

    report: MonthlyReport
    values: dict
    approve_only: bool = False


_DRAFT_FIELDS = ("status", "version", "updated_at")
_SUBMIT_FIELDS = ("status", "submitted_at", "submitted_by", "first_submitted_at", "is_late")
_APPROVE_FIELDS = ("status", "reviewed_at", "reviewed_by", "review_comment")
_BATCH = 500
# bulk_update is one UPDATE … CASE WHEN pk=… per field: every row scans the batch's WHENs, so
# a long batch costs rows × batch; 100 was several times faster than 500 on 2,000 reports.
_UPDATE_BATCH = 100


@transaction.atomic
def import_reports(
    rows: list[ImportRow],
    *,
    by,
    approve: bool,
    note: str = "",
    today: date | None = None,
    when=None,
) -> tuple[int, int]:
    """save_draft → submit (→ approve when `approve`) for many reports, in three bulk writes
    instead of three saves each; returns (created, changed).

    The same rules, in the same words, as one report at a time: locked_message for a
    submitted or approved report, start_errors for a new one, the stale-version refusal of
    save_versioned for a loaded report someone saved since, and the TRANSITIONS table (the
    submit/approve steps go through _move). Any refusal raises before anything is written.

    Side effects, as the one-by-one path: new reports created; each report's draft, submit and
    approve steps each leave a history row (reasons `note`, 报送（note）, 审核通过（note）)
    holding that step's state and version; submitted_at/by, first_submitted_at and is_late
    (judged on the first submission); reviewed_at/by and the review comment cleared. Then
    post_save is sent once per written report in its final state — bulk writes send none, and
    receivers outside dispatch (the figures layer records a correction for a report approved
    into a closed month) must see every report they saw before; simple_history's own receiver
    is told to skip it (skip_history_when_saving), its rows being written already.
    """
    from django.db.models.signals import post_save
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    from keyprojects.core.errors import StaleEdit
    from keyprojects.core.versioning import stale_message

    today = today or timezone.localdate()
    when = when or timezone.now()
    loaded = [r.report.pk for r in rows if r.report.pk]
    current: dict[int, int] = {}
    for i in range(0, len(loaded), 5000):
        current.update(
            MonthlyReport._base_manager.select_for_update()
            .filter(pk__in=loaded[i : i + 5000])
            .values_list("pk", "version")
        )
    new, drafted, submitting, approving = [], [], [], []
    for row in rows:  # every check first, in the file's order: nothing is written on a refusal
        report = row.report
        if not row.approve_only:
            if report.pk and report.status not in EDITABLE:
                raise NotAllowed(locked_message(report))
            if report.pk is None:
                errors = start_errors(report.project, report.year, report.month, today=today)
                if errors:
                    raise NotAllowed("；".join(errors))
            elif current[report.pk] != report.version:
                raise StaleEdit(stale_message(report, report.version), current[report.pk])
            submitting.append(report)
            (drafted if report.pk else new).append(report)
        elif approve and (refused := _refusal(report, "approve")):
            raise refused
        if approve:
            approving.append(report)
    values_fields: set[str] = set()
    for row in rows:
        if not row.approve_only:
            for k, v in row.values.items():
                setattr(row.report, k, v)
            values_fields.update(row.values)

    def stamp(reports, reason):
        now = timezone.now()
        for report in reports:
            report._history_user, report._change_reason = by, reason
            report.updated_at = now

    for report in new + drafted:
        report.status = ReportStatus.DRAFT if report.status not in EDITABLE else report.status
    for report in drafted:
        report.version = current[report.pk] + 1
    stamp(new + drafted, note)
    if new:
        created = bulk_create_with_history(new, MonthlyReport, batch_size=_BATCH)
        if any(r.pk is None for r in created):  # a database that returns no ids from a bulk insert
            raise RuntimeError("bulk_create did not return ids")
    if drafted:
        fields = [*sorted(values_fields), *_DRAFT_FIELDS]
        bulk_update_with_history(drafted, MonthlyReport, fields, batch_size=_UPDATE_BATCH)

    for report in submitting:
        _move(report, "submit")
        report.submitted_at, report.submitted_by = when, by
        if report.first_submitted_at is None:
            report.first_submitted_at = when
        report.is_late = is_late(report.year, report.month, report.first_submitted_at)
        report.version += 1
    if submitting:
        stamp(submitting, _reason(TRANSITIONS["submit"].reason, note))
        fields = [*_SUBMIT_FIELDS, "version", "updated_at"]
        bulk_update_with_history(submitting, MonthlyReport, fields, batch_size=_UPDATE_BATCH)

    written = {id(r) for r in submitting}
    for report in approving:
        _move(report, "approve")
        report.reviewed_at, report.reviewed_by = when, by
        report.review_comment = ""
        # approve_only reports were not written above: their version is the database's
        report.version = (report.version if id(report) in written else current[report.pk]) + 1
    if approving:
        stamp(approving, _reason(TRANSITIONS["approve"].reason, note))
        fields = [*_APPROVE_FIELDS, "version", "updated_at"]
        bulk_update_with_history(approving, MonthlyReport, fields, batch_size=_UPDATE_BATCH)

    created_ids = {id(r) for r in new}
    final = {id(r): r for r in [*submitting, *approving]}
    for report in final.values():
        report.skip_history_when_saving = True
        try:
            post_save.send(
                sender=MonthlyReport,
                instance=report,
                created=id(report) in created_ids,
                update_fields=None,
                raw=False,
                using=MonthlyReport.objects.db,
            )
        finally:
            del report.skip_history_when_saving
    return len(new), len(drafted)


# --- Checks for a new report -------------------------------------------------------------------


def period_errors(project, year: int, month: int, *, today: date) -> list[str]:
    """Why a new report for `project` in year/month cannot exist (empty list: it can):
    start_errors, and there is one report per project and month."""
    errors = start_errors(project, year, month, today=today)
    if MonthlyReport.objects.filter(project=project, year=year, month=month).exists():
        errors.append(f"项目“{project.name}”{year}年{month}月已有调度报告，不能重复填报")
    return errors


def start_errors(project, year: int, month: int, *, today: date) -> list[str]:
    """Why `project` cannot report on year/month (the form, the import and save_draft ask).

    The rules of dispatch.rules.period_problems (a month not yet come, another plan year, a
    project not started or started after that month).
    """
    return rules.period_problems(
        year=year,
        month=month,
        today=today,
        plan_year=project.year,
        project_name=project.name,
        status_label=project.get_status_display(),
        started=project.is_started,
        actual_start=project.actual_start,
    )


# --- Site photos ------------------------------------------------------------------------------

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000
PHOTO_MAX_PER_REPORT = 12
PHOTO_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}


@dataclass(frozen=True)
class PhotoMeta:
    """What the browser says about one chosen photo: its file time (File.lastModified, ms) and
    the position it reported when the photos were sent (all None when it gave none)."""

    last_modified_ms: int | None = None
    latitude: str | None = None
    longitude: str | None = None
    accuracy: str | None = None


@dataclass(frozen=True)
class PreparedPhoto:
    """A checked, re-encoded photo ready to store; nothing is written until _store_photos."""

    name: str
    content: bytes
    content_type: str
    width: int
    height: int
    taken_at: datetime | None
    time_source: str
    place: tuple | None  # (lat, lng, accuracy or None)
    place_source: str


def _taken_at(img):
    """The camera's capture time (EXIF DateTimeOriginal, local time) or None."""
    try:
        exif = img.getexif()
        raw = exif.get_ifd(0x8769).get(0x9003) or exif.get(0x0132)
        if not raw:
            return None
        naive = datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except (ValueError, TypeError, KeyError, AttributeError, OSError):
        return None
    return timezone.make_aware(naive)


def _exif_place(img):
    """The camera's GPS position (EXIF GPSInfo) as rules.photo_place gives it, or None."""
    try:
        gps = img.getexif().get_ifd(0x8825)
        if not gps or 2 not in gps or 4 not in gps:
            return None
        lat = rules.dms_to_degrees(gps[2], gps.get(1, "N"))
        lng = rules.dms_to_degrees(gps[4], gps.get(3, "E"))
    except (ValueError, TypeError, KeyError, AttributeError, OSError, ZeroDivisionError):
        return None
    return rules.photo_place(f"{lat:.6f}", f"{lng:.6f}")


def _reencode(upload) -> tuple:
    """Verify an upload is a JPEG or PNG image and re-encode it (drops EXIF and any payload).
    Returns (content, content_type, width, height, EXIF capture time, EXIF place)."""
    import io
    import warnings

    from PIL import Image, ImageOps, UnidentifiedImageError

    if upload.size > PHOTO_MAX_BYTES:
        raise NotAllowed(
            f"照片“{upload.name}”大小为{upload.size / 1048576:.1f}MB，超过上限"
            f"{PHOTO_MAX_BYTES // 1048576}MB"
        )
    if not upload.size:
        raise NotAllowed(f"照片“{upload.name}”是空文件")
    data = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format
                if probe.width * probe.height > PHOTO_MAX_PIXELS:
                    raise NotAllowed(f"照片“{upload.name}”像素过多（超过4000万像素）")
                probe.verify()
            with Image.open(io.BytesIO(data)) as img:
                img.load()
                taken = _taken_at(img)
                place = _exif_place(img)
                img = ImageOps.exif_transpose(img)
                out = io.BytesIO()
                if fmt == "JPEG":
                    img.convert("RGB").save(out, "JPEG", quality=85)
                elif fmt == "PNG":
                    img.save(out, "PNG", optimize=True)
                else:
                    raise NotAllowed(
                        f"照片“{upload.name}”是{fmt or '未知'}格式，只接受JPEG或PNG格式"
                    )
    except NotAllowed:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise NotAllowed(f"照片“{upload.name}”像素过多（超过4000万像素）") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise NotAllowed(f"文件“{upload.name}”不是有效的JPEG或PNG图片") from None
    return out.getvalue(), PHOTO_FORMATS[fmt], img.width, img.height, taken, place


def prepare_photos(uploads, metas=None, *, now=None) -> list[PreparedPhoto]:
    """Check and re-encode every upload before anything is written; the first bad one raises
    NotAllowed naming its file. The capture time is the camera's EXIF DateTimeOriginal, else
    the file time the phone's browser sent; the place is the camera's GPS tags, else the
    position the browser gave (only over HTTPS, only when allowed)."""
    from keyprojects.dispatch.choices import PhotoPlaceSource, PhotoTimeSource

    now = now or timezone.now()
    metas = list(metas or [])
    prepared = []
    for i, upload in enumerate(uploads):
        meta = metas[i] if i < len(metas) else PhotoMeta()
        content, content_type, width, height, taken, place = _reencode(upload)
        time_source = PhotoTimeSource.EXIF if taken else ""
        if taken is None:
            taken = rules.photo_file_time(meta.last_modified_ms, now=now)
            time_source = PhotoTimeSource.FILE if taken else ""
        place_source = PhotoPlaceSource.EXIF if place else ""
        if place is None:
            place = rules.photo_place(meta.latitude, meta.longitude, meta.accuracy)
            place_source = PhotoPlaceSource.BROWSER if place else ""
        prepared.append(
            PreparedPhoto(
                name=str(upload.name)[:200],
                content=content,
                content_type=content_type,
                width=width,
                height=height,
                taken_at=taken,
                time_source=time_source,
                place=place,
                place_source=place_source,
            )
        )
    return prepared


def _check_photo_room(report: MonthlyReport, adding: int) -> None:
    if report.status not in EDITABLE:
        raise NotAllowed(f"该报告{report.get_status_display()}，不能再上传照片")
    have = report.photos.count() if report.pk else 0
    if have + adding > PHOTO_MAX_PER_REPORT:
        already = f"已有{have}张，" if have else ""
        raise NotAllowed(
            f"每份报告最多{PHOTO_MAX_PER_REPORT}张照片，本报告{already}这次选了{adding}张"
        )


def _store_photos(report: MonthlyReport, prepared: list[PreparedPhoto], *, by, caption=""):
    """Write the files and their rows; a failure removes the files written so far."""
    from django.core.files.base import ContentFile

    from keyprojects.dispatch.models import ReportPhoto

    saved, written = [], []
    try:
        for p in prepared:
            photo = ReportPhoto(
                report=report,
                content_type=p.content_type,
                caption=caption.strip()[:200],
                original_name=p.name,
                width=p.width,
                height=p.height,
                taken_at=p.taken_at,
                time_source=p.time_source,
                latitude=p.place[0] if p.place else None,
                longitude=p.place[1] if p.place else None,
                accuracy_m=p.place[2] if p.place else None,
                place_source=p.place_source,
                uploaded_by=by,
            )
            photo.image.save(
                "upload.png" if p.content_type == "image/png" else "upload.jpg",
                ContentFile(p.content),
                save=False,
            )
            written.append(photo.image.name)
            saved.append(save_versioned(photo, by=by, expected_version=None, reason="上传照片"))
    except Exception:
        from django.core.files.storage import default_storage

        for name in written:
            default_storage.delete(name)
        raise
    return saved


@transaction.atomic
def add_photos(report: MonthlyReport, uploads, *, by, metas=None, caption: str = ""):
    """Attach several verified, re-encoded site photos at once, all or none; only while the
    report is editable. Side effects: one ReportPhoto (and its history row 上传照片) per file,
    with its capture time and place (prepare_photos)."""
    _check_photo_room(report, len(uploads))
    return _store_photos(report, prepare_photos(uploads, metas), by=by, caption=caption)


def add_photo(report: MonthlyReport, upload, *, by, caption: str = ""):
    """Attach one photo (add_photos with one file)."""
    return add_photos(report, [upload], by=by, caption=caption)[0]


@transaction.atomic
def save_draft_with_photos(
    report: MonthlyReport,
    uploads,
    *,
    by,
    metas=None,
    expected_version: int | None = None,
    today: date | None = None,
):
    """save_draft and add_photos in one step, as a phone sends them: every photo is checked
    first, so a bad one refuses the whole submit (NotAllowed naming the file) and neither
    the draft nor any photo is written. Side effects: those of save_draft and add_photos."""
    _check_photo_room(report, len(uploads))
    prepared = prepare_photos(uploads, metas)
    report = save_draft(report, by=by, expected_version=expected_version, today=today)
    _store_photos(report, prepared, by=by)
    return report


@transaction.atomic
def delete_photo(photo, *, by) -> None:
    """Remove a photo (history keeps the record of it); only while the report is editable."""
    if photo.report.status not in EDITABLE:
        raise NotAllowed(f"该报告{photo.report.get_status_display()}，不能删除照片")
    name = photo.image.name
    photo._history_user = by
    photo.delete()
    transaction.on_commit(lambda: photo.image.storage.delete(name))


# --- 待报 (reports due) and to-dos -----------------------------------------------------------


def reporting_projects(projects, year: int, month: int):
    """Projects that report for year/month: on the year's construction plan, started by the
    end of the month, not completed before it began (department order, then code)."""
    from keyprojects.ledger.choices import CONSTRUCTION_CATEGORIES

    first, last = months.month_start(year, month), months.month_end(year, month)
    return (
        projects.filter(
            year=year,
            category__in=CONSTRUCTION_CATEGORIES,
            actual_start__isnull=False,
            actual_start__lte=last,
        )
        .exclude(actual_end__lt=first)
        .select_related("department")
        .order_by("department__order", "department__name", "code")
    )


def due_projects(projects, year: int, month: int) -> list:
    """reporting_projects without a submitted or approved report for the month (a draft or
    a returned report still counts as owed)."""
    return list(due_queryset(projects, year, month))


def due_queryset(projects, year: int, month: int):
    """due_projects as a query (the brief counts them and lists the first ones)."""
    done = MonthlyReport.objects.filter(year=year, month=month, status__in=SUBMITTED_STATES).values(
        "project_id"
    )
    return reporting_projects(projects, year, month).exclude(pk__in=done)


# Still to do first (returned: the office is waiting; then not begun; then drafts), sent last.
_WORK_ORDER = {
    ReportStatus.RETURNED: 0,
    None: 1,
    ReportStatus.DRAFT: 2,
    ReportStatus.SUBMITTED: 3,
    ReportStatus.APPROVED: 4,
}


def month_worklist(projects, year: int, month: int) -> list[tuple]:
    """[(project, report or None), …] for every project reporting for year/month, the ones
    still to report first (returned, not begun, draft), then the submitted and approved ones."""
    rows = list(reporting_projects(projects, year, month))
    reports = {
        r.project_id: r
        for r in MonthlyReport.objects.filter(
            year=year, month=month, project_id__in=[p.pk for p in rows]
        )
    }
    pairs = [(p, reports.get(p.pk)) for p in rows]
    return sorted(pairs, key=lambda pr: _WORK_ORDER[pr[1].status if pr[1] else None])


def due_by_department(projects, year: int, month: int) -> list[tuple]:
    """[(department, [project, …]), …] in department order."""
    groups: dict = {}
    for p in due_projects(projects, year, month):
        groups.setdefault(p.department, []).append(p)
    return list(groups.items())


def default_due_month(projects, today: date) -> tuple[int, int]:
    """The month a 待报 page opens on: last month when today's plan year has projects;
    otherwise the month after the latest reported month of the latest plan year."""

    last = months.add_months(today.year, today.month, -1)
    latest_year = projects.order_by("-year").values_list("year", flat=True).first()
    if latest_year is None or latest_year >= last[0]:
        return last
    latest = (
        MonthlyReport.objects.filter(project__in=projects, year=latest_year)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    return latest_year, min((latest or 0) + 1, 12)


# --- 倒排工期 ---------------------------------------------------------------------------------


def template_for(sector: str):
    """The sector's phase template, or unsaved sector defaults (rules.SECTOR_DEFAULT_DAYS) when
    the office has not saved one."""
    from keyprojects.dispatch.models import PhaseTemplate

    saved = PhaseTemplate.objects.filter(sector=sector).first()
    return saved or default_template(sector)


def default_template(sector: str):
    """An unsaved template holding the sector's standard days (rules.SECTOR_DEFAULT_DAYS)."""
    from keyprojects.dispatch.models import PhaseTemplate

    defaults = rules.SECTOR_DEFAULT_DAYS.get(sector, rules.SECTOR_DEFAULT_DAYS["other"])
    names = [name for _, name in PhaseTemplate.GAP_FIELDS]
    return PhaseTemplate(sector=sector, **dict(zip(names, defaults, strict=True)))


def plan_stamp(project) -> str:
    """The version of a project's node plan (ledger.services.plan_stamp)."""
    from keyprojects.ledger import services as ledger_services

    return ledger_services.plan_stamp(project)


def plan_warnings(project, planned: list[tuple[str, date]], *, today: date) -> list[str]:
    """The confirm-step warnings of a 倒排工期 plan (rules.plan_warnings, with labels)."""
    from keyprojects.ledger.choices import Phase

    return rules.plan_warnings(
        [(Phase(p).label, d) for p, d in planned],
        today=today,
        start_label=Phase.START.label,
        ledger_start=project.planned_start,
    )


@transaction.atomic
def save_plan(project, planned: list[tuple[str, date]], *, by, expected_stamp: str) -> list:
    """Save a reverse-scheduled plan as the project's milestones, all or nothing.

    A live milestone of the same phase gets the new planned date (its actual date is kept);
    a missing one is created. The plan is versioned by plan_stamp: StaleEdit when any node
    changed since the form was loaded. A department cannot move a baselined node here (it
    proposes the change instead); the office can. Side effects: history rows via
    ledger.services.save_milestone.
    """
    from keyprojects.core.errors import StaleEdit
    from keyprojects.core.permissions import is_office
    from keyprojects.ledger import services as ledger_services
    from keyprojects.ledger.models import Milestone, Project

    Project.objects.select_for_update().filter(pk=project.pk).first()
    if plan_stamp(project) != expected_stamp:
        raise StaleEdit(
            "保存未成功：您打开倒排工期页面后，该项目的节点已被他人修改。"
            "请重新生成计划并核对后再保存。",
            0,
        )
    existing = {
        m.phase: m
        for m in project.milestones.filter(deleted_at__isnull=True).order_by("-planned_date")
    }
    locked = [
        existing[phase].name
        for phase, when in planned
        if phase in existing
        and existing[phase].baseline_date is not None
        and existing[phase].planned_date != when
    ]
    if locked and not is_office(by):
        raise NotAllowed(
            f"节点{'、'.join(f'“{n}”' for n in locked)}已列入基准计划，调整日期须在项目页提出"
            "申请，经调度办同意"
        )
    saved = []
    for phase, when in planned:
        m = existing.get(phase) or Milestone(project=project, phase=phase)
        if m.pk and m.planned_date == when:
            saved.append(m)
            continue
        m.planned_date = when
        saved.append(ledger_services.save_milestone(m, by=by, expected_version=m.version or None))
    return saved


@transaction.atomic
def save_template(template, *, by, expected_version: int | None = None):
    """Create or update a sector's phase template (office only; history row)."""
    return save_versioned(template, by=by, expected_version=expected_version)


# --- Milestones reached, recorded with the report -------------------------------------------


def milestones_for_report(report: MonthlyReport) -> dict[str, list]:
    """The project's live milestones: reached within the report's month, and still open."""
    first = months.month_start(report.year, report.month)
    last = months.month_end(report.year, report.month)
    live = list(report.project.milestones.filter(deleted_at__isnull=True))
    return {
        "reached": [m for m in live if m.actual_date and first <= m.actual_date <= last],
        "open": [m for m in live if m.actual_date is None],
    }


@transaction.atomic
def record_milestones(report: MonthlyReport, reached: dict, *, by, today: date) -> list:
    """Set the actual dates of milestones reached (节点完成情况) with a report, all or nothing.

    `reached` maps an open milestone of the report's project to its actual date; a date after
    the report's month or after today is refused (NotAllowed names the milestone).
    """
    from keyprojects.ledger import services as ledger_services

    if report.status not in EDITABLE:
        raise NotAllowed(f"该报告{report.get_status_display()}，不能再修改节点")
    problems = []
    for m, when in reached.items():
        if m.project_id != report.project_id or m.actual_date is not None or m.is_deleted:
            problems.append(f"节点“{m.name}”不属于该项目的未完成节点")
        elif problem := rules.milestone_date_problem(
            m.name, when, year=report.year, month=report.month, today=today
        ):
            problems.append(problem)
    if problems:
        raise NotAllowed("；".join(problems))
    saved = []
    for m, when in reached.items():
        m.actual_date = when
        saved.append(ledger_services.save_milestone(m, by=by, expected_version=m.version))
    return saved
