"""Hostile uploads (issue 10 item 5): a corpus generated here (zip bombs, billion laughs, external
entity, truncated, encrypted, renamed, empty, huge used range) goes through the upload page and
the import_ledger command; each is refused with a Chinese message naming the problem, with
bounded memory, and no business data is written (how fast: bench/bench_safety.py).
Site photos: pixel bombs and polyglots. The corpus is built at test time; no hostile file is
kept in the repository."""

import io
import os
import resource
import struct
import sys
import time
import tracemalloc
import zipfile
from contextlib import contextmanager

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from PIL import Image

from keyprojects.dispatch.models import MonthlyReport, ReportPhoto
from keyprojects.importer import safety, services
from keyprojects.importer.models import ImportJob, JobState
from keyprojects.importer.reading import UnreadableFile, read_grids
from keyprojects.ledger.models import Milestone, Project
from tests import factories
from tests.importer.builders import messy_ledger

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEMORY = 200 * 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
MEASURED: dict = {}  # label: (s, Python peak KB, RSS growth KB); KP_SHOW_MEASURES=1 prints


# --- building the corpus -------------------------------------------------------------------------


def _base_xlsx() -> bytes:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "项目名称"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _replace(data: bytes, name: str, writer) -> bytes:
    """A copy of the zip `data` where entry `name` is written by `writer(zip_entry_handle)`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename == name:
                with dst.open(zipfile.ZipInfo(name), "w") as handle:
                    writer(handle)
            else:
                dst.writestr(info, src.read(info.filename), zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _with_part(name: str, xml: bytes) -> bytes:
    return _replace(_base_xlsx(), name, lambda h: h.write(xml))


def zip_bomb(megabytes: int = 300) -> bytes:
    """An .xlsx whose sheet XML is `megabytes` MB of zeros inside one cell (about 1000:1)."""

    def write(handle):
        handle.write(f'<worksheet {NS}><sheetData><row r="1"><c r="A1"><v>'.encode())
        zeros = b"0" * (1024 * 1024)
        for _ in range(megabytes):
            handle.write(zeros)
        handle.write(b"</v></c></row></sheetData></worksheet>")

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_base_xlsx())) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename == SHEET:
                entry = zipfile.ZipInfo(SHEET)
                entry.compress_type = zipfile.ZIP_DEFLATED
                with dst.open(entry, "w", force_zip64=False) as handle:
                    write(handle)
            else:
                dst.writestr(info, src.read(info.filename), zipfile.ZIP_DEFLATED)
    return out.getvalue()


def lying_zip_bomb(bomb: bytes) -> bytes:
    """The zip bomb with the sheet's declared size patched to 1000 bytes (local + central)."""
    data = bytearray(bomb)
    with zipfile.ZipFile(io.BytesIO(bomb)) as z:
        info = z.getinfo(SHEET)
    struct.pack_into("<I", data, info.header_offset + 22, 1000)
    central = data.rfind(SHEET.encode()) - 46
    assert data[central : central + 4] == b"PK\x01\x02"
    struct.pack_into("<I", data, central + 24, 1000)
    return bytes(data)


def billion_laughs() -> bytes:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    xml = (
        '<?xml version="1.0"?><!DOCTYPE lolz [' + "".join(entities) + "]>"
        f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is>'
        "</c></row></sheetData></worksheet>"
    )
    return _with_part(SHEET, xml.encode())


def external_entity() -> bytes:
    xml = (
        '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is>'
        "</c></row></sheetData></worksheet>"
    )
    return _with_part(SHEET, xml.encode())


def huge_range() -> bytes:
    """5 KB: one value in A1 and one in XFD1048576 (the reader would allocate 512 GB)."""
    wb = openpyxl.Workbook()
    wb.active["A1"] = "项目名称"
    wb.active["XFD1048576"] = 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def cfb(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE2 compound file (version 3, 512-byte sectors) holding `streams`, each
    padded to 4096 bytes so that no mini stream is needed. Written by hand: no library here
    writes an encrypted Office file, and olefile is not a dependency."""
    size, end, free = 512, 0xFFFFFFFE, 0xFFFFFFFF
    bodies = [
        (name, body.ljust(max(4096, -(-len(body) // size) * size), b"\0"))
        for name, body in streams.items()
    ]
    fat = [0xFFFFFFFD, end]  # sector 0: the FAT; sector 1: the directory
    starts = []
    for _, body in bodies:
        starts.append(len(fat))
        n = len(body) // size
        fat.extend(range(len(fat) + 1, len(fat) + n))
        fat.append(end)
    assert len(fat) <= size // 4
    fat_sector = struct.pack(f"<{size // 4}I", *(fat + [free] * (size // 4 - len(fat))))

    def entry(name, kind, start, length, child=free, right=free):
        raw = name.encode("utf-16-le") + b"\0\0"
        return (
            raw.ljust(64, b"\0")
            + struct.pack("<HBB3I", len(raw), kind, 1, free, right, child)
            + b"\0" * 36
            + struct.pack("<IIII", start, length, 0, 0)[:12]
        )

    entries = [entry("Root Entry", 5, end, 0, child=1)]
    for i, ((name, body), start) in enumerate(zip(bodies, starts, strict=True), start=1):
        entries.append(entry(name, 2, start, len(body), right=i + 1 if i < len(bodies) else free))
    assert len(entries) <= 4
    directory = b"".join(entries).ljust(size, b"\0")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
        + struct.pack("<109I", 0, *([free] * 108))
    )
    assert len(header) == 512
    return header + fat_sector + directory + b"".join(body for _, body in bodies)


def encrypted_xlsx() -> bytes:
    """What Excel writes for a password-protected .xlsx: an OLE2 file with EncryptionInfo and
    EncryptedPackage streams (here a header-only EncryptionInfo and random package bytes)."""
    info = struct.pack("<HHI", 4, 4, 0x40) + b"<?xml version='1.0'?><encryption/>"
    return cfb({"EncryptionInfo": info, "EncryptedPackage": b"\x10\x00" + bytes(range(256)) * 20})


def biff(*records: tuple[int, bytes]) -> bytes:
    return b"".join(struct.pack("<HH", kind, len(body)) + body for kind, body in records)


BOF_GLOBALS = (0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x0006))
BOF_SHEET = (0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 0x0006))
EOF = (0x000A, b"")


def encrypted_xls() -> bytes:
    """An .xls whose workbook globals carry FILEPASS (RC4 encryption header)."""
    filepass = (0x002F, struct.pack("<HHH", 1, 1, 1) + b"\x11" * 48)
    return cfb({"Workbook": biff(BOF_GLOBALS, filepass, EOF)})


def renamed_pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(scope="module")
def corpus():
    bomb = zip_bomb()
    valid = messy_ledger([{"name": "正常项目", "dept": "县住房和城乡建设委员会"}])
    return {
        # name: (file name, bytes, a fragment the Chinese message must contain)
        "zip bomb": ("台账.xlsx", bomb, "压缩炸弹"),
        "zip bomb, sizes lie": ("台账.xlsx", lying_zip_bomb(bomb), "比声明的 1000 字节更大"),
        "billion laughs": ("台账.xlsx", billion_laughs(), "XML 实体声明"),
        "external entity": ("台账.xlsx", external_entity(), "外部实体"),
        "truncated": ("台账.xlsx", valid[: len(valid) // 2], "文件不完整或已损坏"),
        "encrypted xlsx": ("台账.xlsx", encrypted_xlsx(), "文件已加密"),
        "encrypted xls": ("台账.xls", encrypted_xls(), "文件已加密"),
        "renamed pdf": ("台账.xlsx", renamed_pdf(), "PDF 文档"),
        "empty": ("台账.xlsx", b"", "为空"),
        "huge range": ("台账.xlsx", huge_range(), "数据范围过大"),
    }


CASES = [
    "zip bomb",
    "zip bomb, sizes lie",
    "billion laughs",
    "external entity",
    "truncated",
    "encrypted xlsx",
    "encrypted xls",
    "renamed pdf",
    "empty",
    "huge range",
]


@contextmanager
def bounded(label: str):
    """Within MEMORY: Python allocations (tracemalloc peak) and the process's peak resident size
    (which also sees the Rust reader's allocations). Time is measured and shown, not asserted
    (a shared machine makes it noise); bench/bench_safety.py holds the time targets."""
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    tracemalloc.start()
    start = time.perf_counter()
    try:
        yield
    finally:
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - rss_before
        MEASURED[label] = (round(elapsed, 2), peak // 1024, rss_growth // 1024)
        if os.environ.get("KP_SHOW_MEASURES"):
            print(
                f"{label}: {elapsed:.2f} s, Python peak {peak // 1024} KB, "
                f"RSS +{rss_growth // 1024} KB",
                file=sys.__stderr__,
            )
    assert peak < MEMORY and rss_growth < MEMORY, f"{label}: {peak} / {rss_growth} bytes"


def business_rows() -> tuple[int, int, int]:
    return Project.objects.count(), Milestone.objects.count(), MonthlyReport.objects.count()


@pytest.fixture
def _immediate(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


# --- through the upload page and the command --------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_hostile_upload_page(case, corpus, client_for, office, dept, _immediate):
    name, data, fragment = corpus[case]
    c = client_for(office)
    before = business_rows()
    with bounded(f"page: {case}"):
        r = c.post(
            reverse("importer:upload"),
            {
                "kind": "ledger",
                "year": "2022",
                "month": "",
                "file": SimpleUploadedFile(name, data, content_type=XLSX),
            },
        )
    # Refused by the upload form before the file is stored: a 400 naming the problem.
    assert r.status_code == 400
    page = r.content.decode()
    assert "所提交的是空文件" in page or fragment in page, page[-3000:]
    assert "root:" not in page  # /etc/passwd never shows
    assert not ImportJob.objects.exists()
    assert business_rows() == before


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("dry_run", [False, True], ids=["import", "dry-run"])
def test_hostile_import_command(case, dry_run, corpus, tmp_path, office, dept, capsys):
    name, data, fragment = corpus[case]
    path = tmp_path / name
    path.write_bytes(data)
    before = business_rows()
    args = ["import_ledger", str(path), "--year", "2022"] + (["--dry-run"] if dry_run else [])
    with (
        bounded(f"command{' --dry-run' if dry_run else ''}: {case}"),
        pytest.raises(CommandError, match="未导入任何数据"),
    ):
        call_command(*args)
    out = capsys.readouterr().out
    assert fragment in out, out
    assert "root:" not in out
    assert business_rows() == before
    if dry_run:
        assert not ImportJob.objects.exists()
    else:  # the refused file is kept and audited, as every command import is
        assert ImportJob.objects.get().state == JobState.REJECTED


# --- the checks themselves ------------------------------------------------------------------------


def _refused(data: bytes, name: str = "台账.xlsx") -> str:
    with pytest.raises(safety.Refused) as exc:
        safety.check_workbook(data, name)
    return exc.value.message


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in entries.items():
            z.writestr(name, body)
    return out.getvalue()


@pytest.mark.parametrize(
    "entries, fragment",
    [
        ({f"xl/f{i}.bin": b"" for i in range(safety.MAX_ENTRIES + 1)}, "超过 1000 个"),
        ({"xl/workbook.xml": b"<w/>", "../../etc/cron.d/x": b"x"}, "异常路径"),
        ({"xl/workbook.xml": b"<w/>", "/abs.xml": b"x"}, "异常路径"),
        ({"xl/workbook.xml": b"<w/>", "xl\\media\\a.png": b"x"}, "异常路径"),
        ({"xl/workbook.xml": b"<w/>", "xl/inner.zip": b"PK"}, "嵌套了另一个压缩文件"),
        ({"word/document.xml": b"<w/>"}, "Word 文档"),
        ({"ppt/presentation.xml": b"<p/>"}, "PowerPoint"),
        ({"content.xml": b"<?xml version='1.0'?>\n\n<!DOCTYPE x SYSTEM 'http://e/x'><x/>"}, "实体"),
        ({"xl/s.xml": "<!DOCTYPE x>".encode("utf-16-le")}, "实体"),
        ({"xl/s.xml": b"<!doctype x><x/>"}, "实体"),
        ({"xl/worksheets/sheet1.bin": b"\n<?xml version='1.0'?><!DOCTYPE x><x/>"}, "实体"),
    ],
    ids=[
        "entries",
        "dotdot",
        "absolute",
        "backslash",
        "nested",
        "docx",
        "pptx",
        "dtd",
        "utf16",
        "lower",
        "xml-named-bin",
    ],
)
def test_zip_checks(entries, fragment):
    assert fragment in _refused(_zip(entries))


def test_duplicate_entries_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("xl/workbook.xml", b"<a/>")
        with pytest.warns(UserWarning):
            z.writestr("xl/workbook.xml", b"<b/>")
    assert "重名" in _refused(out.getvalue())


def test_ratio_overall_and_per_entry():
    # Every entry below the per-entry floor, the whole file far above the overall ratio.
    many = {f"xl/p{i}.xml": b" " * (safety.RATIO_FLOOR - 1) for i in range(12)}
    assert "整个文件" in _refused(_zip(many)) and "压缩炸弹" in _refused(_zip(many))
    one = {"xl/worksheets/sheet1.xml": b" " * (safety.RATIO_FLOOR * 2)}
    assert "sheet1.xml" in _refused(_zip(one))


def test_entry_size_limits(monkeypatch):
    monkeypatch.setattr(safety, "MAX_ENTRY_UNPACKED", 1000)
    assert "上限" in _refused(_zip({"xl/a.xml": b"<a>" + b"x" * 2000 + b"</a>"}))
    monkeypatch.setattr(safety, "MAX_ENTRY_UNPACKED", 10_000)
    monkeypatch.setattr(safety, "MAX_UNPACKED", 3000)
    assert "超过 0 MB 的上限" in _refused(_zip({"a.xml": b"1" * 2000, "b.xml": b"2" * 2000}))


def test_encrypted_zip_entry_and_odd_method():
    data = bytearray(_zip({"xl/workbook.xml": b"<w/>"}))
    struct.pack_into("<H", data, 6, 1)  # local header flag: encrypted
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<H", data, central + 8, 1)
    assert "已加密" in _refused(bytes(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_BZIP2) as z:
        z.writestr("xl/workbook.xml", b"<w/>")
    assert "压缩方式" in _refused(out.getvalue())


def test_corrupt_entry_data_and_crc():
    good = _zip({"xl/workbook.xml": b"<workbook>" + b"abc" * 100 + b"</workbook>"})
    with zipfile.ZipFile(io.BytesIO(good)) as z:
        info = z.getinfo("xl/workbook.xml")
    start = info.header_offset + 30 + len("xl/workbook.xml")
    flipped = bytearray(good)
    flipped[start + 5] ^= 0xFF
    assert "文件不完整或已损坏" in _refused(bytes(flipped))


@pytest.mark.parametrize(
    "data, fragment",
    [
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "PNG 图片"),
        (b"\xff\xd8\xff\xe0" + b"\0" * 50, "JPEG 图片"),
        (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "网页（HTML"),
        ("项目名称,总投资\n凤凰大道,100\n".encode(), "纯文本"),
        ("项目名称,总投资\n".encode("gbk"), "纯文本"),
        (b"MZ\x90\x00" + b"\0" * 60, "Windows 程序"),
        (b"\x00\x01\x02\x03\xff\xfe", "无法识别"),
        (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "OLE2 文件头无效"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "OLE2 文件头不完整"),
    ],
)
def test_what_a_renamed_file_really_is(data, fragment):
    message = _refused(data)
    assert fragment in message and "无法读取" in message


def test_oversized_file():
    assert "超过 20 MB" in _refused(b"PK\x03\x04" + b"\0" * (safety.MAX_BYTES + 1))
    assert safety.MAX_BYTES == services.MAX_UPLOAD_BYTES


def test_ole_sanity():
    good = cfb({"Workbook": biff(BOF_GLOBALS, EOF)})
    safety.check_workbook(good, "a.xls")  # a well-formed (if empty) workbook passes the checks
    for offset, value, fragment in [
        (44, 10_000, "扇区表大小与文件长度不符"),  # more FAT sectors than the file holds
        (48, 9_999, "扇区链"),  # directory beyond the end of the file
        (76, 9_999, "扇区表无效"),  # the FAT's own sector beyond the end
    ]:
        bad = bytearray(good)
        struct.pack_into("<I", bad, offset, value)
        assert fragment in _refused(bytes(bad), "a.xls")
    looped = bytearray(good)
    struct.pack_into("<I", looped, 512 + 4, 1)  # the directory's chain points at itself
    assert "扇区链无效" in _refused(bytes(looped), "a.xls")
    doc = cfb({"WordDocument": b"\xec\xa5" + b"\0" * 100})
    assert "Word 文档（.doc）" in _refused(doc, "a.xls")


def test_xls_range_from_cell_records():
    far = (0x0203, struct.pack("<HHHd", 65535, 255, 0, 1.0))  # NUMBER at IV65536
    near = (0x0203, struct.pack("<HHHd", 0, 0, 0, 1.0))
    data = cfb({"Workbook": biff(BOF_GLOBALS, EOF, BOF_SHEET, near, far, EOF)})
    assert "第 1 个工作表的数据范围过大（65536 行 × 256 列）" in _refused(data, "a.xls")


def test_range_of_cells_without_references():
    """Cells written without r="…" are placed by position: counted as columns of one row."""
    cells = "<c/>" * 20_000 + "<c><v>1</v></c>"
    xml = f"<worksheet {NS}><sheetData><row>{cells}</row>{'<row/>' * 300}</sheetData></worksheet>"
    assert "数据范围过大" in _refused(_with_part(SHEET, xml.encode()))


def test_rows_beyond_the_limit():
    xml = f'<worksheet {NS}><sheetData><row r="200000"><c r="A200000"><v>1</v></c></row>'
    xml += "</sheetData></worksheet>"
    assert "200000 行" in _refused(_with_part(SHEET, xml.encode()))


def test_real_workbooks_pass_quickly():
    """A large ordinary ledger (20,000 rows × 12 columns) passes the checks (its time:
    bench/bench_safety.py)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in range(20_000):
        ws.append([f"项目{r}", "县住房和城乡建设委员会", r * 1.5, r, "在建", "2022-03-01"] * 2)
    buf = io.BytesIO()
    wb.save(buf)
    safety.check_workbook(buf.getvalue(), "大台账.xlsx")
    assert read_grids(messy_ledger([{"name": "x", "dept": "y"}]), "a.xlsx")


def test_read_grids_raises_unreadable_with_the_message(corpus):
    for case in ("zip bomb", "renamed pdf"):
        name, data, fragment = corpus[case]
        with pytest.raises(UnreadableFile, match=fragment):
            read_grids(data, name)


def test_openpyxl_uses_defusedxml():
    assert openpyxl.DEFUSEDXML is True


# --- site photos: the gaps the dispatch tests leave ---------------------------------------------


@pytest.fixture
def draft(project, settings, tmp_path):
    from keyprojects.dispatch.choices import ReportStatus

    settings.MEDIA_ROOT = tmp_path / "media"
    return factories.report(project, 3, "10", status=ReportStatus.DRAFT)


def _photo(client, report, content, name):
    return client.post(
        reverse("dispatch:photo_upload", args=[report.pk]),
        {"image": SimpleUploadedFile(name, content, content_type="image/png"), "caption": ""},
    )


def _png(mode, size) -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size).save(buf, "PNG")
    return buf.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "size, fragment",
    [
        # above the service's limit (40 million pixels): refused on the header, before decoding
        ((8_000, 8_000), "像素过多"),
        # above Pillow's own bomb limit (2 × 89 million): Pillow refuses to open it at all
        ((20_000, 20_000), "像素过多"),
    ],
)
def test_pixel_bomb_photo_refused(client_for, reporter, draft, size, fragment):
    data = _png("1", size)
    assert len(data) < 1024 * 1024  # a few hundred KB that would decode to gigabytes
    with bounded(f"photo: pixel bomb {size[0]}×{size[1]}"):
        r = _photo(client_for(reporter), draft, data, "bomb.png")
    assert r.status_code == 400 and fragment in r.content.decode()
    assert not ReportPhoto.objects.exists()


@pytest.mark.django_db
def test_polyglot_photo_is_reencoded(client_for, reporter, draft, settings):
    """A valid PNG carrying HTML and a zip after its end: stored without either, under a
    random name, never under the uploaded one."""
    buf = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 20, 30)).save(buf, "PNG")
    payload = b"<html><script>alert(1)</script></html>" + _zip({"x.txt": b"payload"})
    r = _photo(client_for(reporter), draft, buf.getvalue() + payload, "<script>.png")
    assert r.status_code == 302
    photo = ReportPhoto.objects.get()
    stored = (settings.MEDIA_ROOT / photo.image.name).read_bytes()
    assert b"<script>" not in stored and b"PK\x03\x04" not in stored
    assert "script" not in photo.image.name


def ods(rows: int, cols: int, *, value: bool = True) -> bytes:
    """A hand-written .ods: a header row, then one row repeated `rows` times whose one cell is
    repeated `cols` times (with a value, or empty as LibreOffice writes formatted blanks)."""
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    cell = 'office:value-type="float" office:value="1"' if value else 'table:style-name="ce1"'
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}><office:body>'
        '<office:spreadsheet><table:table table:name="台账"><table:table-row>'
        '<table:table-cell office:value-type="string"><text:p>项目名称</text:p></table:table-cell>'
        f'</table:table-row><table:table-row table:number-rows-repeated="{rows}">'
        f'<table:table-cell table:number-columns-repeated="{cols}" {cell}/></table:table-row>'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    return _zip(
        {
            "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
            "content.xml": content.encode(),
        }
    )


def test_ods_repeated_cells_count_as_cells():
    """1 KB of XML that python-calamine would expand to 16 million cells (about 1 GB)."""
    assert "1001 行 × 16384 列" in _refused(ods(1000, 16384), "台账.ods")
    assert "行" in _refused(ods(200_000, 1), "台账.ods")
    # LibreOffice's trailing blank rows and columns (no values) are not data.
    safety.check_workbook(ods(1_048_000, 1024, value=False), "台账.ods")
    safety.check_workbook(ods(100, 10), "台账.ods")


def test_references_after_a_newline_still_count():
    """r="…" after a newline or tab instead of a space is still read (and so still counted)."""
    xml = (
        f'<worksheet {NS}><sheetData><row r="1"><c r="ZZ1"><v>1</v></c></row>'
        '<row\nr="99999"><c\nr="A99999"><v>1</v></c></row></sheetData></worksheet>'
    )
    assert "99999 行 × 702 列" in _refused(_with_part(SHEET, xml.encode()))


def test_svg_pictures_may_keep_their_doctype():
    """Inkscape and Illustrator write a DOCTYPE into SVG; pictures are never parsed as XML."""
    svg = b'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd"><svg/>'
    data = _replace(_base_xlsx(), SHEET, lambda h: h.write(_sheet_xml()))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        dst.writestr("xl/media/image1.svg", svg)
    safety.check_workbook(out.getvalue(), "台账.xlsx")


def _sheet_xml() -> bytes:
    return (
        f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>项目名称</t></is>'
        "</c></row></sheetData></worksheet>"
    ).encode()


def test_formatted_empty_rows_far_down_are_not_data():
    """Row formatting written down to the sheet's end holds no cell: the range stays small."""
    rows = "".join(f'<row r="{r}" ht="20" customHeight="1"/>' for r in (200_000, 1_048_576))
    xml = f'<worksheet {NS}><sheetData><row r="1"><c r="A1"><v>1</v></c></row>{rows}'
    safety.check_workbook(_with_part(SHEET, (xml + "</sheetData></worksheet>").encode()), "a.xlsx")
