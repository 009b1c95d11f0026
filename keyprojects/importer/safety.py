"""Checks on an uploaded workbook's bytes before any parser sees them (hostile input).

Pure functions on bytes: no Django, no parser. `check_workbook` raises `Refused` with a Chinese
message naming the problem; `reading.read_grids` turns it into `UnreadableFile`.

What is refused, and why here rather than in the parsers:
- empty or oversized files;
- content that is not a spreadsheet whatever the extension says (a renamed PDF, picture, Word
  document, web page or text file), named by what it really is;
- zip containers (.xlsx/.ods) that would unpack too much: too many entries, too many bytes in
  all or in one entry, a compression ratio no spreadsheet reaches (per entry and overall),
  sizes that lie (each entry is inflated here, in bounded chunks, and counted), unsupported
  compression methods, encrypted entries, duplicate or odd names (absolute, `..`, backslash),
  archives nested outside `xl/embeddings/`;
- any XML part with a DOCTYPE or ENTITY declaration (billion laughs, external entities): Office
  and ODF files never carry one;
- a sheet whose used range is so large that the reader would allocate it as a dense grid
  (python-calamine aborts the whole process when that allocation fails: a 5 KB file with one
  value in A1 and one in XFD1048576 asks for 512 GB);
- OLE2 (.xls) files whose header, sector tables or directory do not add up, and workbooks that
  are encrypted: an OOXML file saved with a password (an OLE2 container with the streams
  `EncryptionInfo`/`EncryptedPackage`) or an .xls with a FILEPASS record.
"""

import re
import struct
import zipfile
import zlib
from io import BytesIO
from pathlib import PurePosixPath

MAX_BYTES = 20 * 1024 * 1024  # the same as services.MAX_UPLOAD_BYTES (a test keeps them equal)
MAX_ENTRIES = 1000
MAX_UNPACKED = 300 * 1024 * 1024  # all entries together
MAX_ENTRY_UNPACKED = 200 * 1024 * 1024
MAX_RATIO = 200  # one entry (checked when it unpacks to more than RATIO_FLOOR)
MAX_TOTAL_RATIO = 100  # the whole file (checked when it unpacks to more than TOTAL_RATIO_FLOOR)
RATIO_FLOOR = 1024 * 1024
TOTAL_RATIO_FLOOR = 10 * 1024 * 1024
MAX_CELLS = 5_000_000  # rows × columns of one sheet's used range
MAX_SHEET_ROWS = 100_000  # reading.MAX_ROWS
CHUNK = 1024 * 1024

ENCRYPTED = "文件已加密（设置了打开密码），无法读取；请在 Excel 中取消密码后另存，再上传"
BROKEN = "文件不完整或已损坏，无法读取（{}）；请用 Excel 重新保存后上传"


class Refused(Exception):
    """The bytes are not a workbook the importer will hand to a parser (message in Chinese)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check_workbook(data: bytes, filename: str) -> None:
    """Raise Refused when the file must not be parsed; return None when it may."""
    ext = PurePosixPath(filename.lower()).suffix or "（无扩展名）"
    if not data:
        raise Refused("文件为空（0 字节），无法读取")
    if len(data) > MAX_BYTES:
        raise Refused(f"文件超过 {MAX_BYTES // 1024 // 1024} MB，无法读取；请拆分后上传")
    if data.startswith(b"PK\x03\x04"):
        _check_zip(data, ext)
    elif data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        _check_ole(data, ext)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise Refused(BROKEN.format("OLE2 文件头无效"))
    else:
        raise Refused(
            f"文件内容是{_what_is(data)}，不是 Excel/ODS 表格（扩展名为 {ext}），无法读取；"
            "请上传 .xlsx、.xls 或 .ods 文件"
        )


def _what_is(data: bytes) -> str:
    """What a non-spreadsheet file really is, in words a user knows."""
    magic = [
        (b"%PDF", "PDF 文档"),
        (b"\x89PNG", "PNG 图片"),
        (b"\xff\xd8\xff", "JPEG 图片"),
        (b"GIF8", "GIF 图片"),
        (b"{\\rtf", "RTF 文档"),
        (b"MZ", "Windows 程序"),
        (b"\x7fELF", "可执行程序"),
        (b"Rar!", "RAR 压缩包"),
        (b"7z\xbc\xaf", "7z 压缩包"),
        (b"\x1f\x8b", "gzip 压缩包"),
        (b"PK", "损坏的压缩包"),
    ]
    for prefix, name in magic:
        if data.startswith(prefix):
            return name
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP 图片"
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<html", b"<!doctype html", b"<table", b"<meta")) or b"<html" in head:
        return "网页（HTML，常见于某些系统导出的“xls”）"
    if head.startswith(b"<?xml"):
        return "XML 文件"
    if b"\0" not in data[:4096]:
        for codec in ("utf-8", "gb18030"):
            try:
                data[:4096].decode(codec)
            except UnicodeDecodeError:
                continue
            return "纯文本（如 CSV/TXT）"
    return "无法识别的格式"


# --- zip containers (.xlsx, .xlsm, .ods) -------------------------------------------------------

_REF = re.compile(rb' r="([A-Z]{0,3})([0-9]{1,9})"')  # cells (letters) and rows (none)
_REF_ANY_SPACE = re.compile(rb'\sr="([A-Z]{0,3})([0-9]{1,9})"')  # slower; when needed
_PREFIXED_CELL = re.compile(rb"<\w{1,20}:c[\s/>]")
_PREFIXED_ROW = re.compile(rb"<\w{1,20}:row[\s/>]")
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_NESTED = (".zip", ".xlsx", ".xlsm", ".xls", ".ods", ".docx", ".jar", ".gz", ".7z", ".rar")


def _check_zip(data: bytes, ext: str) -> None:
    try:
        with zipfile.ZipFile(BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise Refused(BROKEN.format("压缩包目录缺失或无效")) from None
    names = [i.filename for i in infos]
    if len(infos) > MAX_ENTRIES:
        raise Refused(
            f"压缩包中有 {len(infos)} 个文件，超过 {MAX_ENTRIES} 个，不像表格文件，已拒绝读取"
        )
    if "word/document.xml" in names:
        raise Refused(f"文件内容是 Word 文档，不是 Excel/ODS 表格（扩展名为 {ext}），无法读取")
    if "ppt/presentation.xml" in names:
        raise Refused(
            f"文件内容是 PowerPoint 演示文稿，不是 Excel/ODS 表格（扩展名为 {ext}），无法读取"
        )
    if len(set(names)) != len(names):
        raise Refused("压缩包中有重名的文件，可能是恶意构造的文件，已拒绝读取")
    declared = 0
    for info in infos:
        name = info.filename
        if name.startswith(("/", "\\")) or "\\" in name or ".." in name.split("/") or ":" in name:
            raise Refused(f"压缩包中有异常路径“{name[:80]}”，已拒绝读取")
        if info.flag_bits & 0x1:
            raise Refused(ENCRYPTED)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise Refused(f"压缩包中“{name[:80]}”使用了表格文件不会使用的压缩方式，已拒绝读取")
        if name.lower().endswith(_NESTED) and not name.startswith("xl/embeddings/"):
            raise Refused(f"压缩包中嵌套了另一个压缩文件“{name[:80]}”，已拒绝读取")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise Refused(_bomb(name, info.file_size, info.compress_size))
        if info.file_size > MAX_ENTRY_UNPACKED:
            raise Refused(_too_big(name, info.file_size))
        declared += info.file_size
    if declared > MAX_UNPACKED:
        raise Refused(
            f"文件解压后共 {declared // 1048576} MB，超过 {MAX_UNPACKED // 1048576} MB 的上限，"
            "可能是“压缩炸弹”，已拒绝读取"
        )
    if declared > TOTAL_RATIO_FLOOR and declared > MAX_TOTAL_RATIO * len(data):
        raise Refused(_bomb("整个文件", declared, len(data)))
    for info in infos:
        _inflate_and_scan(data, info)


def _too_big(name: str, size: int) -> str:
    return (
        f"压缩包中“{name[:80]}”解压后有 {size // 1048576} MB，"
        f"超过 {MAX_ENTRY_UNPACKED // 1048576} MB 的上限，已拒绝读取"
    )


def _bomb(name: str, size: int, packed: int) -> str:
    return (
        f"“{name[:80]}”的压缩比异常（{size // max(packed, 1)} 倍，解压后 {size // 1048576} MB），"
        "可能是“压缩炸弹”，已拒绝读取"
    )


def _raw(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """The entry's compressed bytes, located through its local header."""
    start = info.header_offset
    header = data[start : start + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise Refused(BROKEN.format(f"“{info.filename[:80]}”的文件头缺失"))
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    begin = start + 30 + name_len + extra_len
    raw = data[begin : begin + info.compress_size]
    if len(raw) < info.compress_size:
        raise Refused(BROKEN.format(f"“{info.filename[:80]}”被截断"))
    return raw


def _inflate_and_scan(data: bytes, info: zipfile.ZipInfo) -> None:
    """Inflate one entry in bounded chunks: its real size may not exceed what it declares,
    its CRC must match, its XML may not declare entities, and a sheet's range must be sane."""
    name = info.filename
    raw = _raw(data, info)
    is_xml, extent = None, None
    is_svg = name.lower().endswith(".svg")  # pictures: SVG editors write a DOCTYPE, no reader
    tail = b""
    size, crc = 0, 0
    if info.compress_type == zipfile.ZIP_STORED:
        chunks = (raw[i : i + CHUNK] for i in range(0, len(raw), CHUNK))
    else:
        chunks = _inflate(raw, name)
    for chunk in chunks:
        size += len(chunk)
        if size > info.file_size:
            raise Refused(
                f"压缩包中“{name[:80]}”解压后比声明的 {info.file_size} 字节更大，"
                "可能是恶意构造的文件，已拒绝读取"
            )
        crc = zlib.crc32(chunk, crc)
        if is_xml is None:  # by name or by content: a sheet's target can have any name
            head = chunk[:256].lstrip(b"\xef\xbb\xbf \t\r\n")
            is_xml = (
                name.lower().endswith(_XML_SUFFIXES)
                or head.startswith(b"<")
                or chunk[:2] in (b"\xff\xfe", b"\xfe\xff")
            )
            if is_xml:
                extent = _OdsExtent() if name == "content.xml" else _Extent()
        if is_xml:
            window = tail + chunk
            if not is_svg and _declares_entity(window):
                raise Refused(
                    f"压缩包中“{name[:80]}”含有 XML 实体声明（DOCTYPE/ENTITY），"
                    "可能是“实体扩展”或“外部实体”攻击文件，已拒绝读取"
                )
            extent.feed(window, tail)
            tail = chunk[-64:]
    if size != info.file_size or crc != info.CRC:
        raise Refused(BROKEN.format(f"“{name[:80]}”的大小或校验和不符"))
    if extent is not None:
        extent.check(name)


def _declares_entity(window: bytes) -> bool:
    """A DOCTYPE or ENTITY declaration, in UTF-8 (any case) or UTF-16 (either byte order)."""
    i = window.find(b"<!")
    while i >= 0:
        if window[i + 2 : i + 9].upper().startswith((b"DOCTYPE", b"ENTITY")):
            return True
        i = window.find(b"<!", i + 2)
    for utf16 in (b"<\x00!\x00", b"\x00<\x00!"):
        i = window.find(utf16)
        while i >= 0:
            if window[i + 4 : i + 6] in (b"D\x00", b"E\x00", b"\x00D", b"\x00E"):
                return True
            i = window.find(utf16, i + 2)
    return False


def _count(window: bytes, tail: bytes, needles: tuple[bytes, ...]) -> int:
    return sum(window.count(n) - tail.count(n) for n in needles)


def _inflate(raw: bytes, name: str):
    d = zlib.decompressobj(-zlib.MAX_WBITS)
    buf = raw
    while True:
        try:
            out = d.decompress(buf, CHUNK)
        except zlib.error:
            raise Refused(BROKEN.format(f"“{name[:80]}”无法解压")) from None
        if out:
            yield out
        buf = d.unconsumed_tail
        if d.eof:
            return
        if not out and not buf:
            raise Refused(BROKEN.format(f"“{name[:80]}”的压缩数据不完整"))


class _Extent:
    """The used range of a sheet as the reader will size it: the largest row and column named
    by any cell, and, for cells written without a reference, a bound by their count (and their
    rows' numbers). Empty rows (formatting only) do not widen the range: no cell is in them."""

    def __init__(self):
        self.max_row = 0  # named by a cell reference
        self.max_row_tag = 0  # named by a <row r="…">: places only cells without a reference
        self.max_col = 0
        self.cells = 0
        self.refs = 0
        self.rows = 0

    def feed(self, window: bytes, tail: bytes) -> None:
        """One chunk with the previous chunk's tail in front: what matches inside the tail
        alone was counted with the previous chunk (maxima do not mind a repeat)."""
        ref = _REF
        if b'\nr="' in window or b'\tr="' in window or b'\rr="' in window:
            ref = _REF_ANY_SPACE
        refs = ref.findall(window)
        cols = {c for c, _ in refs if c}
        self.refs += sum(1 for c, _ in refs if c) - sum(1 for c, _ in ref.findall(tail) if c)
        if cols:
            self.max_col = max(self.max_col, max(_col_number(c) for c in cols))
        cell_rows = {r for c, r in refs if c}
        if cell_rows:
            self.max_row = max(self.max_row, max(int(r) for r in cell_rows))
        row_tags = {r for c, r in refs if not c}
        if row_tags:
            self.max_row_tag = max(self.max_row_tag, max(int(r) for r in row_tags))
        self.cells += _count(window, tail, (b"<c ", b"<c>", b"<c/>", b"<c\t", b"<c\n", b"<c\r"))
        self.rows += _count(window, tail, (b"<row ", b"<row>", b"<row/>", b"<row\n"))
        if b":c" in window or b":row" in window:  # namespace-prefixed <x:c>, <x:row>: rare
            self.cells += len(_PREFIXED_CELL.findall(window)) - len(_PREFIXED_CELL.findall(tail))
            self.rows += len(_PREFIXED_ROW.findall(window)) - len(_PREFIXED_ROW.findall(tail))

    def check(self, name: str) -> None:
        unreferenced = max(self.cells - self.refs, 0)
        rows = self.max_row
        if unreferenced:  # placed by their row's number, or by counting rows
            rows = max(rows, self.max_row_tag, self.rows)
        cols = self.max_col + unreferenced
        if rows > MAX_SHEET_ROWS or rows * cols > MAX_CELLS:
            raise Refused(
                f"“{name[:80]}”的数据范围过大（{rows} 行 × {cols} 列），"
                "请删除多余的行和列（或只复制数据区域到新表）后再上传"
            )


_ODS_TAG = re.compile(
    rb"<(/?)table:(table|table-row|table-cell|covered-table-cell)(?=[\s/>])([^<>]*?)(/?)>"
)
_ODS_ROWS = re.compile(rb'number-rows-repeated="([0-9]{1,9})"')
_ODS_COLS = re.compile(rb'number-columns-repeated="([0-9]{1,9})"')


class _OdsExtent:
    """The same for an ODS content.xml, where rows and cells carry repeat counts: a cell with a
    value repeated 16,384 times on a row repeated 1,000 times is 16 million cells to the reader.
    Empty repeats (LibreOffice writes them for formatted blank areas) do not count."""

    def __init__(self):
        self.pending = b""
        self.row = self.col = self.repeat = 0
        self.max_row = self.max_col = 0
        self.worst = (0, 0, 0)  # rows × columns of the largest table so far

    def feed(self, window: bytes, tail: bytes) -> None:
        data = self.pending + window[len(tail) :]
        cut = data.rfind(b"<")
        if cut >= 0 and data.find(b">", cut) < 0:
            data, self.pending = data[:cut], data[cut:]
        else:
            self.pending = b""
        if len(self.pending) > 65536:
            raise Refused("content.xml 中有异常长的 XML 标签，可能是恶意构造的文件，已拒绝读取")
        for close, tag, attrs, empty in _ODS_TAG.findall(data):
            if tag == b"table":
                if not close:
                    self._end_table()
            elif tag == b"table-row":
                if close:
                    self.row += self.repeat
                    continue
                m = _ODS_ROWS.search(attrs)
                self.repeat, self.col = (int(m.group(1)) if m else 1), 0
                if empty:
                    self.row += self.repeat
            elif not close:
                m = _ODS_COLS.search(attrs)
                self.col += int(m.group(1)) if m else 1
                if b"value-type" in attrs or not empty:
                    self.max_col = max(self.max_col, self.col)
                    self.max_row = max(self.max_row, self.row + self.repeat)

    def _end_table(self) -> None:
        cells = self.max_row * self.max_col
        if cells > self.worst[0]:
            self.worst = (cells, self.max_row, self.max_col)
        self.row = self.col = self.repeat = self.max_row = self.max_col = 0

    def check(self, name: str) -> None:
        self._end_table()
        _, rows, cols = self.worst
        if rows > MAX_SHEET_ROWS or rows * cols > MAX_CELLS:
            raise Refused(
                f"“{name[:80]}”中有工作表的数据范围过大（{rows} 行 × {cols} 列），"
                "请删除多余的行和列（或只复制数据区域到新表）后再上传"
            )


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


# --- OLE2 compound files (.xls, and password-protected .xlsx) -----------------------------------

_FREE, _END = 0xFFFFFFFF, 0xFFFFFFFE
_CELL_RECORDS = {0x0006, 0x00BD, 0x00BE, 0x00D6, 0x00FD, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E}


def _check_ole(data: bytes, ext: str) -> None:
    streams = _Ole(data)
    names = set(streams.entries)
    if {"EncryptedPackage", "EncryptionInfo"} & names:
        raise Refused(ENCRYPTED)
    book = next((n for n in ("Workbook", "Book") if n in names), None)
    if book is None:
        if "WordDocument" in names:
            what = "Word 文档（.doc）"
        elif "PowerPoint Document" in names:
            what = "PowerPoint 演示文稿（.ppt）"
        else:
            what = "不含工作簿的 OLE2 复合文件"
        raise Refused(f"文件内容是{what}，不是 Excel/ODS 表格（扩展名为 {ext}），无法读取")
    _check_biff(streams.read(book))


class _Ole:
    """A compound file's directory, read with every index checked against the file's size."""

    def __init__(self, data: bytes):
        if len(data) < 512:
            raise Refused(BROKEN.format("OLE2 文件头不完整"))
        major, order, shift, mini_shift = struct.unpack_from("<HHHH", data, 26)
        if order != 0xFFFE or (major, shift) not in ((3, 9), (4, 12)) or mini_shift != 6:
            raise Refused(BROKEN.format("OLE2 文件头无效"))
        self.data = data
        self.size = 1 << shift
        self.sectors = (len(data) - 1) // self.size  # the header takes sector "-1"
        n_fat, first_dir = struct.unpack_from("<II", data, 44)
        (self.cutoff, first_mini, n_mini, first_difat, n_difat) = struct.unpack_from(
            "<IIIII", data, 56
        )
        if n_fat > self.sectors or n_difat > self.sectors or n_mini > self.sectors:
            raise Refused(BROKEN.format("OLE2 扇区表大小与文件长度不符"))
        fat_ids = list(struct.unpack_from("<109I", data, 76))[: min(n_fat, 109)]
        difat, seen = first_difat, set()
        per = self.size // 4 - 1
        while len(fat_ids) < n_fat and difat not in (_END, _FREE):
            if difat >= self.sectors or difat in seen:
                raise Refused(BROKEN.format("OLE2 扇区表链无效"))
            seen.add(difat)
            ids = struct.unpack_from(f"<{per + 1}I", self._sector(difat))
            fat_ids.extend(ids[:per])
            difat = ids[per]
        fat_ids = fat_ids[:n_fat]
        if len(fat_ids) < n_fat or any(s >= self.sectors for s in fat_ids):
            raise Refused(BROKEN.format("OLE2 扇区表无效"))
        self.fat = b"".join(self._sector(s) for s in fat_ids)
        self.entries = {}
        directory = self._chain(first_dir, self.fat)
        for off in range(0, len(directory) - 127, 128):
            entry = directory[off : off + 128]
            name_len, kind = struct.unpack_from("<HB", entry, 64)
            if kind not in (1, 2, 5) or not 2 <= name_len <= 64:
                continue
            name = entry[: name_len - 2].decode("utf-16-le", "replace")
            start, size = struct.unpack_from("<II", entry, 116)
            if size > len(data) * 2 + 4096:
                raise Refused(BROKEN.format(f"OLE2 流“{name[:40]}”的长度与文件不符"))
            self.entries[name] = (kind, start, size)
        root = next((e for e in self.entries.values() if e[0] == 5), None)
        self.mini_stream = self._chain(root[1], self.fat)[: root[2]] if root else b""
        self.minifat = self._chain(first_mini, self.fat) if n_mini else b""

    def _sector(self, sid: int) -> bytes:
        return self.data[(sid + 1) * self.size : (sid + 2) * self.size]

    def _chain(self, start: int, fat: bytes, *, mini: bool = False) -> bytes:
        limit = len(fat) // 4
        out, seen, sid = [], set(), start
        while sid not in (_END, _FREE):
            if sid >= limit or sid in seen:
                raise Refused(BROKEN.format("OLE2 扇区链无效"))
            seen.add(sid)
            if mini:
                out.append(self.mini_stream[sid * 64 : sid * 64 + 64])
            else:
                if sid >= self.sectors:
                    raise Refused(BROKEN.format("OLE2 扇区链超出文件"))
                out.append(self._sector(sid))
            (sid,) = struct.unpack_from("<I", fat, sid * 4)
        return b"".join(out)

    def read(self, name: str) -> bytes:
        _, start, size = self.entries[name]
        if size < self.cutoff:
            return self._chain(start, self.minifat, mini=True)[:size]
        return self._chain(start, self.fat)[:size]


def _check_biff(stream: bytes) -> None:
    """Walk the BIFF records: FILEPASS means encrypted; each sheet's cells bound its range."""
    pos, sheet = 0, -1
    max_row = max_col = 0
    while pos + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, pos)
        body = stream[pos + 4 : pos + 4 + length]
        pos += 4 + length
        if kind == 0x002F:  # FILEPASS
            raise Refused(ENCRYPTED)
        if kind == 0x0809:  # BOF: a new substream
            _check_biff_extent(sheet, max_row, max_col)
            sheet, max_row, max_col = sheet + 1, 0, 0
        elif kind in _CELL_RECORDS and len(body) >= 4:
            row, col = struct.unpack_from("<HH", body, 0)
            if kind in (0x00BD, 0x00BE) and len(body) >= 6:  # MULRK/MULBLANK: last column
                (col,) = struct.unpack_from("<H", body, len(body) - 2)
            max_row, max_col = max(max_row, row + 1), max(max_col, col + 1)
    _check_biff_extent(sheet, max_row, max_col)


def _check_biff_extent(sheet: int, rows: int, cols: int) -> None:
    if rows * cols > MAX_CELLS:
        raise Refused(
            f"第 {sheet} 个工作表的数据范围过大（{rows} 行 × {cols} 列），"
            "请删除多余的行和列后再上传"
        )
