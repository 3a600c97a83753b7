"""The container guard: everything that happens to an upload before python-calamine sees a byte of it.

A workbook is untrusted input, and python-calamine materialises whatever a file describes: a 2 KB .xlsx with one
cell at XFD1048576 asks it for 17 billion cells and aborts the process; a 16 KB file whose 300 cells all point to
one 10 MB shared string takes 6 GB; an .ods row "repeated 5.000 times" with a cell "repeated 16.384 times" does the
same; a 5 KB .xls whose DIMENSIONS record claims 4 billion rows makes it reserve 43 TB. So this module

* judges the zip container from its central directory alone (declared sizes, compression ratios, number of parts,
  overlapping or out-of-file parts, encryption flags, compression methods): a zip bomb is refused before inflating;
* inflates every part itself as a bounded stream (1 MB at a time), refusing a part the moment it inflates past its
  declared size (a lying central directory) and checking its CRC;
* scans the worksheet XML as it streams past, for the extent of the cells (rows × columns from A1, as calamine will
  allocate them), the bytes of shared text the cells will be copied from, merged ranges and formulas without a saved
  value. XML written the usual way goes through a fast regex pass; anything else is followed tag by tag (expat,
  DTDs refused) with calamine's own rules. calamine opens a zip with the first of its readers that accepts it (xlsx,
  then xlsb, then ods), so an .xlsb part is refused and a content.xml beside an .xlsx is scanned as well;
* recognises what is not a workbook at all (a web page, a Word document, an encrypted or renamed file) and says so.

`inspect_upload` is the entry point; cchc.read.grid reads the cells once it has passed. Every refusal is a
Vietnamese message (WorkbookRefused), located by sheet, row and column where the file allows.
"""


from __future__ import annotations

import html
import io
import re
import struct
import zipfile
import zlib
from array import array
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from xml.parsers import expat

from ..findings import Findings, WorkbookRefused
from .text import column_letter

# ---------------------------------------------------------------------------------------------------------------
# Limits. Every one of them is far above what a real CCHC workbook needs (the 100.000-row statistics template is
# 2,3 million cells, 67 MB of sheet XML, 7,6 MB on disk) and far below what would hurt the server.
# ---------------------------------------------------------------------------------------------------------------

MAX_FILE_BYTES = 50 * 1024 * 1024  # the upload itself
MAX_INFLATED_BYTES = 256 * 1024 * 1024  # all parts of an .xlsx/.ods together, as declared and as really inflated
MAX_INFLATE_RATIO = 200  # inflated : compressed, for the archive and for each part, once it passes the floor below
INFLATE_RATIO_FLOOR = 20 * 1024 * 1024  # small parts may compress as well as they like
MAX_ZIP_ENTRIES = 10_000  # parts in the zip (a real .xlsx has 10–100)
MAX_CENTRAL_DIRECTORY_BYTES = 8 * 1024 * 1024
MAX_SHEETS = 100  # a yearly Biểu 06 has 12–13; each sheet costs the readers up to ~0,6 s of header search
MAX_CELLS = 10_000_000  # rows × columns from A1, summed over the sheets, as calamine will allocate them
MAX_SHARED_TEXT_BYTES = 200 * 1024 * 1024  # shared strings as copied into every cell that uses them
MAX_SHARED_STRINGS = 2_000_000
MAX_MERGED_RANGES = 50_000
MAX_META_PART_BYTES = 16 * 1024 * 1024  # workbook.xml, its relationships, mimetype: read whole
MAX_SLOW_SCAN_TAGS = 4_000_000  # XML that is not written the usual way is checked tag by tag, up to this many tags
XLS_CHILD_MEMORY_BYTES = 3 * 1024 * 1024 * 1024  # address space of the child process that reads a legacy .xls
XLS_CHILD_CPU_SECONDS = 60

EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384

_CHUNK = 1024 * 1024  # inflated bytes handed to a scanner at a time
_MAX_CARRY = 8 * 1024 * 1024  # a tag or a cell longer than this is not scanned by the fast path

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_EOCD = b"PK\x06\x06"
_SHEET_DIRS = ("xl/worksheets/", "xl/chartsheets/", "xl/dialogsheets/")

MB = 1024 * 1024


# ---------------------------------------------------------------------------------------------------------------
# Messages
# ---------------------------------------------------------------------------------------------------------------

def _refuse(message: str, sheet: str | None = None, row: int | None = None,
            column: str | None = None) -> WorkbookRefused:
    findings = Findings()
    findings.error(message, sheet, row, column)
    return WorkbookRefused(findings)


RESAVE = "Hãy mở tệp bằng Excel, lưu lại rồi tải lên lần nữa."
PASSWORD = ("Tệp Excel được đặt mật khẩu (mã hóa). Hãy gỡ mật khẩu trong Excel (Tệp › Thông tin › Bảo vệ sổ làm "
            "việc › Mã hóa bằng mật khẩu, xóa mật khẩu), lưu lại rồi tải lên.")
MACRO = ("Tệp có chứa macro (VBA). Vì an toàn, hãy lưu lại dưới dạng “Excel Workbook (.xlsx)” không có macro rồi "
         "tải lên.")
ZIP_BOMB = "Tệp bị từ chối: nội dung giải nén quá lớn so với kích thước tệp (có thể là tệp độc hại dạng “zip bomb”)."


def _corrupt(detail: str = "") -> WorkbookRefused:
    extra = f" ({detail})" if detail else ""
    return _refuse(f"Tệp bị hỏng hoặc chưa tải lên trọn vẹn{extra}. {RESAVE}")


def _ext(filename: str, default: str = ".xlsx") -> str:
    suffix = PurePosixPath(filename.replace("\\", "/")).suffix.lower()
    return suffix if suffix and len(suffix) <= 6 else default


def _mb(n: int) -> str:
    return f"{n / MB:.0f} MB" if n >= 10 * MB else f"{n / MB:.1f} MB".replace(".", ",")


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")


column_name = column_letter  # 0-based column index → Excel letters (text.py)


def _letters_value(letters: bytes) -> int:
    """Excel column letters → 1-based column number ("A" → 1, "XFD" → 16384)."""
    value = 0
    for ch in letters.upper():
        value = value * 26 + ch - 64
    return value


# ---------------------------------------------------------------------------------------------------------------
# Files that are not workbooks at all
# ---------------------------------------------------------------------------------------------------------------

_HTML_START = re.compile(rb"^(?:\s|<!--.*?-->|<\?xml[^>]*\?>)*<(?:!doctype\s+html|html|head|body|table|meta|style|"
                         rb"title|div|script|link)\b", re.I | re.S)
_SPREADSHEET_2003 = re.compile(rb"urn:schemas-microsoft-com:office:spreadsheet|progid=\"Excel\.Sheet\"", re.I)


def _decode_head(data: bytes) -> bytes:
    """The first bytes of a text file as ASCII-compatible bytes (UTF-16 exports are common for .xls-named text)."""
    head = data[:4096]
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            try:
                return head[len(bom):].decode(codec, "ignore").encode("utf-8", "ignore")
            except LookupError:  # pragma: no cover
                return head
    return head


def _not_a_workbook(data: bytes, filename: str) -> WorkbookRefused:
    """A precise message for a file that is neither a zip nor an OLE container."""
    ext = _ext(filename, ".xls")
    head = _decode_head(data)
    if _HTML_START.match(head) or re.search(rb"<html\b", head[:1024], re.I):
        return _refuse(f"Tệp là trang HTML được đặt đuôi {ext} (nhiều phần mềm một cửa xuất bảng số liệu dạng trang "
                       "web), không phải tệp Excel thật. Hãy mở tệp bằng Excel rồi lưu lại dạng .xlsx "
                       "(Tệp › Lưu thành › Excel Workbook) và tải lên tệp mới.")
    if head.lstrip().startswith(b"MIME-Version:") or b"multipart/related" in head[:2048]:
        return _refuse(f"Tệp là trang web lưu dạng MHTML được đặt đuôi {ext}, không phải tệp Excel thật. Hãy mở tệp "
                       "bằng Excel rồi lưu lại dạng .xlsx và tải lên tệp mới.")
    if head.lstrip().startswith(b"<?xml") or head.lstrip().startswith(b"<"):
        if _SPREADSHEET_2003.search(data[:65536]):
            return _refuse(f"Tệp là bảng tính dạng “XML Spreadsheet 2003” được đặt đuôi {ext}. Hãy mở tệp bằng Excel "
                           "rồi lưu lại dạng .xlsx (Tệp › Lưu thành › Excel Workbook) và tải lên tệp mới.")
    kinds = ((b"%PDF-", "tài liệu PDF"), (b"\x89PNG\r\n\x1a\n", "hình ảnh PNG"), (b"\xff\xd8\xff", "hình ảnh JPEG"),
             (b"GIF87a", "hình ảnh GIF"), (b"GIF89a", "hình ảnh GIF"), (b"{\\rtf", "văn bản RTF"),
             (b"MZ", "tệp chương trình (.exe)"), (b"\x7fELF", "tệp chương trình"))
    for magic, label in kinds:
        if data.startswith(magic):
            return _refuse(f"Tệp là {label} được đặt đuôi {ext}, không phải là tệp Excel. "
                           "Hãy tải lên tệp Excel gốc (.xlsx).")
    for magic, label in ((b"Rar!\x1a\x07", "RAR"), (b"7z\xbc\xaf\x27\x1c", "7-Zip"), (b"\x1f\x8b", "gzip")):
        if data.startswith(magic):
            return _refuse(f"Tệp là tệp nén {label}, không phải là tệp Excel. Hãy giải nén rồi tải lên tệp Excel "
                           "bên trong.")
    if data.startswith(b"PK"):
        return _corrupt("không đọc được cấu trúc tệp Excel")
    sample = head[:1024]
    looks_text = bool(sample) and (all(b >= 9 for b in sample[:512]) or data[:3] == b"\xef\xbb\xbf"
                                   or data[:2] in (b"\xff\xfe", b"\xfe\xff"))
    if looks_text:
        return _refuse("Không đọc được tệp: đây không phải là tệp Excel (.xlsx, .xls) hay .ods. Tệp này có vẻ là tệp "
                       "văn bản/CSV được đổi đuôi. Hãy mở tệp bằng Excel rồi lưu lại dạng .xlsx và tải lên tệp mới.")
    return _refuse("Không đọc được tệp: đây không phải là tệp Excel (.xlsx, .xls) hay .ods.")


# ---------------------------------------------------------------------------------------------------------------
# OLE (compound file) containers: .xls, encrypted .xlsx, Word .doc
# ---------------------------------------------------------------------------------------------------------------

def _ole_names(data: bytes) -> set[str] | None:
    """Names of the streams and storages of a compound file, or None if its directory cannot be followed."""
    found = _ole_directory(data)
    return None if found is None else {name for name, _, _, _ in found[0]}


def _ole_directory(data: bytes):
    """(entries [(name, type, first sector, size)], read(first sector, size) → bytes) of a compound file, or None
    when its directory cannot be followed. Every chain is bounded by the file's own size."""
    try:
        if len(data) < 512:
            return None
        sector_size = 1 << struct.unpack_from("<H", data, 0x1E)[0]
        if sector_size not in (512, 4096):
            return None
        n_fat, first_dir = struct.unpack_from("<I", data, 0x2C)[0], struct.unpack_from("<I", data, 0x30)[0]
        first_difat, n_difat = struct.unpack_from("<I", data, 0x44)[0], struct.unpack_from("<I", data, 0x48)[0]

        def sector(i: int) -> bytes:
            start = 512 + i * sector_size if sector_size == 512 else (i + 1) * sector_size
            if i >= 0xFFFFFFFA or start + sector_size > len(data):
                raise ValueError
            return data[start:start + sector_size]

        fat_sectors = list(struct.unpack_from("<109I", data, 0x4C))
        per = sector_size // 4
        nxt, seen = first_difat, 0
        while nxt < 0xFFFFFFFA and seen <= n_difat and len(fat_sectors) < 1_000_000:
            block = struct.unpack(f"<{per}I", sector(nxt))
            fat_sectors.extend(block[:-1])
            nxt, seen = block[-1], seen + 1
        fat_sectors = [s for s in fat_sectors[:max(n_fat, 0)] if s < 0xFFFFFFFA]
        fat: list[int] = []
        for s in fat_sectors:
            fat.extend(struct.unpack(f"<{per}I", sector(s)))
        entries: list[tuple[str, int, int, int]] = []
        current, steps = first_dir, 0
        while current < 0xFFFFFFFA:
            block = sector(current)
            for off in range(0, sector_size, 128):
                length = struct.unpack_from("<H", block, off + 64)[0]
                if 2 <= length <= 64:
                    start, size = struct.unpack_from("<II", block, off + 116)
                    entries.append((block[off:off + length - 2].decode("utf-16-le", "replace"), block[off + 66],
                                    start, size))
            steps += 1
            if current >= len(fat) or steps > 100_000:
                return None
            current = fat[current]

        def read(first: int, size: int) -> bytes:
            out, current, limit = [], first, len(data) // sector_size + 1
            while current < 0xFFFFFFFA and len(out) < limit and len(out) * sector_size < size:
                out.append(sector(current))
                current = fat[current] if current < len(fat) else 0xFFFFFFFE
            return b"".join(out)[:size]

        return entries, read
    except (ValueError, struct.error, IndexError):
        return None


_MINI_STREAM_CUTOFF = 4096


def _xls_hidden(data: bytes) -> dict[str, tuple[list[int], list[int]]]:
    """The rows and columns each sheet of a legacy .xls hides (MS-XLS: ROW fDyZero, COLINFO fHidden), 1-based.

    A workbook stream kept in the mini stream (under 4 KB: no real table) or one that cannot be followed gives
    nothing; every loop is bounded by the stream's length."""
    try:
        found = _ole_directory(data)
        if found is None:
            return {}
        entries, read = found
        entry = next((e for e in entries if e[0] in ("Workbook", "Book") and e[1] == 2), None)
        if entry is None or entry[3] < _MINI_STREAM_CUTOFF:
            return {}
        stream = read(entry[2], entry[3])
        sheets: list[tuple[str, int]] = []
        for typ, payload in _biff_records(stream, 0):
            if typ == 0x0085 and len(payload) >= 8 and payload[5] == 0:  # BOUNDSHEET8 of a worksheet
                count, high = payload[6], payload[7] & 1
                raw = payload[8:8 + count * (2 if high else 1)]
                sheets.append((raw.decode("utf-16-le" if high else "latin-1", "replace"),
                               struct.unpack_from("<I", payload, 0)[0]))
            elif typ == 0x000A:
                break
        hidden: dict[str, tuple[list[int], list[int]]] = {}
        for name, offset in sheets:
            rows, cols = [], []
            for typ, payload in _biff_records(stream, offset):
                if typ == 0x0208 and len(payload) >= 16 and struct.unpack_from("<H", payload, 12)[0] & 0x20:
                    rows.append(struct.unpack_from("<H", payload, 0)[0] + 1)
                elif typ == 0x007D and len(payload) >= 10 and struct.unpack_from("<H", payload, 8)[0] & 1:
                    first, last = struct.unpack_from("<HH", payload, 0)
                    cols.extend(range(first + 1, min(last, 255) + 2))
                elif typ == 0x000A:
                    break
            if rows or cols:
                hidden[name] = (sorted(set(rows)), sorted(set(cols)))
        return hidden
    except (ValueError, struct.error, IndexError):
        return {}


def _biff_records(stream: bytes, offset: int):
    """(type, payload) of the BIFF records from `offset` to the end of the stream."""
    pos = offset
    while 0 <= pos and pos + 4 <= len(stream):
        typ, length = struct.unpack_from("<HH", stream, pos)
        yield typ, stream[pos + 4:pos + 4 + length]
        pos += 4 + length


def _biff_password(data: bytes) -> bool:
    """A legacy .xls saved with a password: its workbook stream starts BOF, FILEPASS (MS-XLS 2.4.117).

    The stream starts at a sector boundary, so the BOF record of the globals is looked for there.
    """
    for offset in range(512, min(len(data), 64 * 1024 * 1024), 512):
        head = data[offset:offset + 4]
        if head in (b"\x09\x08\x10\x00", b"\x09\x08\x08\x00") and data[offset + 6:offset + 8] == b"\x05\x00":
            following = offset + 4 + head[2]
            return data[following:following + 2] == b"\x2f\x00"
    return False


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def _check_ole(data: bytes, filename: str) -> None:
    names = _ole_names(data)
    if names is None:  # an unreadable directory: fall back to looking for the stream names anywhere
        names = {n for n in ("EncryptionInfo", "EncryptedPackage", "Workbook", "Book", "WordDocument",
                             "PowerPoint Document") if _utf16(n) in data}
    if {"EncryptionInfo", "EncryptedPackage"} & names:
        raise _refuse(PASSWORD)
    if "Workbook" in names or "Book" in names:
        if _biff_password(data):
            raise _refuse(PASSWORD)
        return
    ext = _ext(filename, ".xls")
    if "WordDocument" in names:
        raise _refuse(f"Tệp là văn bản Word (.doc) được đặt đuôi {ext}, không phải là bảng tính Excel. "
                      "Hãy tải lên tệp Excel (.xlsx).")
    if "PowerPoint Document" in names:
        raise _refuse(f"Tệp là bản trình chiếu PowerPoint (.ppt) được đặt đuôi {ext}, không phải là bảng tính Excel.")
    raise _refuse("Không đọc được tệp: tệp có dạng tài liệu Office cũ nhưng không chứa bảng tính Excel. "
                  "Hãy mở tệp bằng Excel, lưu lại dạng .xlsx rồi tải lên.")


# ---------------------------------------------------------------------------------------------------------------
# The zip container, judged from its central directory before anything is inflated
# ---------------------------------------------------------------------------------------------------------------

@dataclass
class _Part:
    info: zipfile.ZipInfo
    key: str  # lower-case name: calamine looks parts up case-insensitively
    start: int  # offset of the compressed bytes
    end: int


def _end_of_central_directory(data: bytes) -> tuple[int, int, int]:
    """(entries, central directory size, its offset), checked against where the record really is."""
    pos = data.rfind(_EOCD, max(0, len(data) - 22 - 65535))
    if pos < 0 or pos + 22 > len(data):
        raise _corrupt("thiếu phần cuối của tệp nén")
    _, _, _, _, entries, cd_size, cd_offset, comment = struct.unpack_from("<4s4H2LH", data, pos)
    if pos + 22 + comment != len(data):
        raise _corrupt("phần cuối của tệp nén không khớp với độ dài tệp")
    record_end = pos
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF:
        loc = pos - 20
        if loc < 0 or data[loc:loc + 4] != _ZIP64_LOCATOR:
            raise _corrupt("mục lục ZIP64 không hợp lệ")
        rec = struct.unpack_from("<Q", data, loc + 8)[0]
        if rec + 56 > loc or data[rec:rec + 4] != _ZIP64_EOCD:
            raise _corrupt("mục lục ZIP64 không hợp lệ")
        entries, cd_size, cd_offset = struct.unpack_from("<QQQ", data, rec + 32)
        record_end = rec
    if cd_offset + cd_size != record_end:
        raise _corrupt("mục lục của tệp nén không nằm đúng chỗ")
    return entries, cd_size, cd_offset


def _zip_parts(data: bytes) -> list[_Part]:
    entries, cd_size, cd_offset = _end_of_central_directory(data)
    if entries > MAX_ZIP_ENTRIES:
        raise _refuse(f"Tệp bị từ chối: có quá nhiều thành phần bên trong ({_count(entries)}; giới hạn "
                      f"{_count(MAX_ZIP_ENTRIES)}). Tệp Excel thật chỉ có vài chục thành phần.")
    if cd_size > MAX_CENTRAL_DIRECTORY_BYTES:
        raise _refuse("Tệp bị từ chối: mục lục của tệp nén quá lớn so với một tệp Excel.")
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except Exception:  # any failure to read the directory means a broken container
        raise _corrupt("không đọc được cấu trúc tệp Excel") from None
    if len(infos) != entries:
        raise _corrupt("số thành phần trong mục lục không khớp")

    declared = sum(i.file_size for i in infos)
    if declared > MAX_INFLATED_BYTES or (declared > INFLATE_RATIO_FLOOR
                                         and declared > MAX_INFLATE_RATIO * max(len(data), 1)):
        raise _refuse(f"{ZIP_BOMB[:-1]}: giải nén ra {_mb(declared)}, giới hạn {_mb(MAX_INFLATED_BYTES)}.")
    for info in infos:
        if info.file_size > INFLATE_RATIO_FLOOR and info.file_size > MAX_INFLATE_RATIO * max(info.compress_size, 1):
            raise _refuse(f"{ZIP_BOMB[:-1]}: phần “{info.filename}” nén {_count(info.compress_size)} byte nhưng "
                          f"giải nén ra {_mb(info.file_size)}.")

    seen: set[str] = set()
    parts: list[_Part] = []
    for info in infos:
        key = info.filename.replace("\\", "/").lower()
        if key in seen:
            raise _corrupt(f"thành phần “{info.filename}” xuất hiện hai lần")
        seen.add(key)
        if info.flag_bits & 0x41:
            raise _refuse(PASSWORD)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _refuse("Tệp được nén theo kiểu không được hỗ trợ (không phải tệp do Excel lưu). " + RESAVE)
        if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
            raise _corrupt(f"kích thước phần “{info.filename}” không khớp")
        offset = info.header_offset
        if offset + 30 > cd_offset or data[offset:offset + 4] != _ZIP_MAGIC:
            raise _corrupt(f"không tìm thấy phần “{info.filename}”")
        name_len, extra_len = struct.unpack_from("<HH", data, offset + 26)
        start = offset + 30 + name_len + extra_len
        end = start + info.compress_size
        if end > cd_offset:
            raise _corrupt(f"phần “{info.filename}” bị cắt cụt")
        parts.append(_Part(info, key, start, end))
    ordered = sorted(parts, key=lambda p: p.info.header_offset)
    for before, after in zip(ordered, ordered[1:]):
        if after.info.header_offset < before.end:
            raise _refuse(f"{ZIP_BOMB[:-1]}: các phần của tệp nén chồng lên nhau.")
    return parts


def _inflate(view: memoryview, part: _Part):
    """The inflated bytes of one part, _CHUNK at a time; refuses a part that inflates past its declared size."""
    info = part.info
    raw = view[part.start:part.end]
    total = crc = 0
    if info.compress_type == zipfile.ZIP_STORED:
        for i in range(0, len(raw), _CHUNK):
            piece = bytes(raw[i:i + _CHUNK])
            crc = zlib.crc32(piece, crc)
            total += len(piece)
            yield piece
    else:
        inflater = zlib.decompressobj(-15)
        pos = 0
        while not inflater.eof:
            if inflater.unconsumed_tail:
                piece_in = inflater.unconsumed_tail
            elif pos < len(raw):
                piece_in = raw[pos:pos + 256 * 1024]
                pos += len(piece_in)
            else:
                break
            try:
                out = inflater.decompress(piece_in, _CHUNK)
            except zlib.error:
                raise _corrupt(f"phần “{info.filename}” không giải nén được") from None
            if out:
                total += len(out)
                if total > info.file_size:
                    raise _refuse(f"{ZIP_BOMB[:-1]}: phần “{info.filename}” giải nén ra nhiều hơn kích thước ghi "
                                  "trong mục lục (tệp bị sửa đổi).")
                crc = zlib.crc32(out, crc)
                yield out
        if not inflater.eof:
            raise _corrupt(f"phần “{info.filename}” bị cắt cụt")
    if total != info.file_size or crc != info.CRC:
        raise _corrupt(f"phần “{info.filename}” sai kích thước hoặc mã kiểm tra")


def _read_whole(view: memoryview, part: _Part, limit: int = MAX_META_PART_BYTES) -> bytes:
    if part.info.file_size > limit:
        raise _refuse(f"Tệp bị từ chối: phần “{part.info.filename}” lớn bất thường ({_mb(part.info.file_size)}).")
    return b"".join(_inflate(view, part))


# ---------------------------------------------------------------------------------------------------------------
# Worksheet XML scanning
# ---------------------------------------------------------------------------------------------------------------

_BAD_XML = re.compile(rb"<!DOCTYPE|<!ENTITY")
# The fast path reads XML written the usual way (Excel, LibreOffice, openpyxl, xlsxwriter): every cell starts
# `<c r="A1"`, every row `<row r="1"`, no namespace prefix on those elements. Anything else goes to the tag-by-tag
# path, which follows calamine's own rules.
_PREFIXED = re.compile(rb":(?:c|row|mergeCell)[\s/>]")  # <x:c …> (prefixed <xm:f> in extLst are harmless)
_MULTI_LETTERS = re.compile(rb'<c r="([A-Z]{2,3})[1-9]')
_ANY_LETTERS = re.compile(rb'<c r="([A-Z]{1,3})[1-9]')
_ROW_FAST = re.compile(rb'<row(?=[\s/>])(?: r="([1-9][0-9]{0,6})")?[^<>]*?(/?)>')
_SHARED_IDX = re.compile(rb'<c r="[^"<>]*"[^<>]*? t="s"[^<>]*>\s*<v>\s*([0-9]{1,10})\s*</v>')
_FORMULA_CELL = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"[^<>]*>((?:[^<]++|<(?!/?c[\s/>]))*+)</c>')
_VALUE = re.compile(rb"<v(?:\s[^<>]*)?>([^<]*)</v>")
# Rows and columns Excel does not show: `<row r="7" hidden="1">`, `<col min="3" max="4" hidden="true"/>`.
_ROW_TAG = re.compile(rb'<row(?=[\s/>])([^<>]*)>')
_COL_TAG = re.compile(rb'<col(?=[\s/>])([^<>]*)>')
_HIDDEN_ATTR = re.compile(rb'\shidden\s*=\s*["\'](?:1|true)["\']')
_R_ATTR = re.compile(rb'\sr\s*=\s*["\']([0-9]{1,7})["\']')
_MIN_ATTR = re.compile(rb'\smin\s*=\s*["\']([0-9]{1,5})["\']')
_MAX_ATTR = re.compile(rb'\smax\s*=\s*["\']([0-9]{1,5})["\']')


def _at_most(n: int) -> bytes:
    """A regex alternation matching the decimal integers 1…n written without leading zeros."""
    if n < 1:
        return rb"(?!)"
    s = str(n)
    options = [rb"[1-9][0-9]{0,%d}" % (len(s) - 2)] if len(s) > 1 else []
    for i, ch in enumerate(s):
        d, low = int(ch), 1 if i == 0 else 0
        if d > low:
            rest = len(s) - i - 1
            options.append(s[:i].encode() + b"[%d-%d]" % (low, d - 1) + (b"[0-9]{%d}" % rest if rest else b""))
    options.append(s.encode())
    return b"|".join(options)


_ODD_CELL_CACHE: dict[int, re.Pattern] = {}


def _odd_cell(max_row: int) -> re.Pattern:
    """A cell not written `<c r="B7" s="1" t="s">` or `<c r="B7" s="1" />` (r first, then plain double-quoted
    attributes, no second r), or whose row is below max_row: either sends the part to the tag-by-tag path."""
    pattern = _ODD_CELL_CACHE.get(max_row)
    if pattern is None:
        if len(_ODD_CELL_CACHE) > 256:
            _ODD_CELL_CACHE.clear()
        pattern = _ODD_CELL_CACHE[max_row] = re.compile(
            rb'<c(?! r="[A-Z]{1,3}+(?:' + _at_most(max_row) + rb')"(?: [a-qs-z][a-z]{0,15}+="[^"<>]*+")*+\s*+/?>)[\s/>]')
    return pattern


def _calamine_ref(value: str, need_column: bool = True) -> tuple[int, int | None]:
    """(0-based row, 0-based column or None) of a cell reference, as calamine parses it; ValueError if invalid."""
    m = re.fullmatch(r"([A-Za-z]*)([0-9]+)", value)
    if not m or (need_column and not m[1]):
        raise ValueError(value)
    if len(m[1]) > 3 or len(m[2].lstrip("0")) > 7:
        raise OverflowError(value)
    row = int(m[2]) - 1
    if row < 0:
        raise ValueError(value)
    col = _letters_value(m[1].encode()) - 1 if m[1] else None
    return row, col


class _BadRef(Exception):
    """A cell reference calamine cannot parse ("2B", "A0")."""

    def __init__(self, ref: str):
        super().__init__(ref)
        self.ref = ref


class _Outside(Exception):
    """A cell reference beyond Excel's grid."""

    def __init__(self, ref: str):
        super().__init__(ref)
        self.ref = ref


@dataclass
class _SheetFacts:
    rows: int = 0  # extent: 1 + the largest 0-based row holding a value (an upper bound on the fast path)
    cols: int = 0
    shared_cells: int = 0  # cells typed t="s"
    shared_bytes: int | None = None  # exact bytes of shared text (tag-by-tag path or an exact recount)
    merges: int = 0
    tags: int = 0
    unsaved: list[str] = field(default_factory=list)
    slow: bool = False  # not written the usual way: checked tag by tag
    exact: bool = False  # rows/cols are calamine's own extent, not an upper bound
    recounted: bool = False  # cols recounted exactly after the fast pass
    hidden_rows: list[int] = field(default_factory=list)  # 1-based rows Excel does not show (hidden, filtered out)
    hidden_cols: list[int] = field(default_factory=list)  # 1-based columns Excel does not show


class _FastSheetScan:
    """One streaming pass over a worksheet part written the usual way.

    Rows come from the `<row r=…>` tags that hold cells, and every cell must sit in one of those rows; columns come
    from the cells' letters (any sheet with no column past Z counts as 26 columns wide until recounted exactly).
    """

    def __init__(self):
        self.facts = _SheetFacts()
        self.letters: set[bytes] = set()
        self.any_cell = False
        self.carry = b""
        self.fcarry = b""

    def feed(self, chunk: bytes, final: bool = False) -> None:
        facts = self.facts
        region = self.carry + chunk
        if final:
            cut = len(region)
        else:
            cut = region.rfind(b"<")
            if cut < 0:
                cut = len(region)
            elif cut == 0 and len(region) > _MAX_CARRY:  # one enormous tag: not written the usual way
                facts.slow, cut = True, len(region)
        self.carry, region = region[cut:], region[:cut]
        if b"\x00" in region:
            raise _corrupt("phần XML chứa ký tự NUL")
        if _BAD_XML.search(region):
            raise _corrupt("phần XML chứa khai báo DOCTYPE/ENTITY, không có trong tệp Excel thật")
        facts.tags += region.count(b"<")
        if facts.slow:
            return
        if _PREFIXED.search(region):
            facts.slow = True
            return
        for number, closed in _ROW_FAST.findall(region):
            if not number:
                facts.slow = True
                return
            if not closed:
                facts.rows = max(facts.rows, int(number))
        if b"<c" in region:
            if _odd_cell(facts.rows).search(region):
                facts.slow = True  # an unusual cell tag, or a cell below the rows: follow the file tag by tag
                return
            self.any_cell = True
            self.letters.update(_MULTI_LETTERS.findall(region))
        facts.shared_cells += region.count(b' t="s"')
        facts.merges += region.count(b"mergeCell")
        if b"hidden" in region:
            _hidden_rows_and_columns(region, facts)
        self._formulas(chunk, final)

    def _formulas(self, chunk: bytes, final: bool) -> None:
        buffer = self.fcarry + chunk
        last = len(buffer) if final else buffer.rfind(b"<c ")
        if last < 0:
            last = 0
        if buffer.find(b"<f", 0, last) >= 0:
            for ref, body in _FORMULA_CELL.findall(buffer, 0, last):
                if b"<f" in body and not any(v.strip() for v in _VALUE.findall(body)):
                    self.facts.unsaved.append(ref.decode())
        rest = buffer[last:]
        self.fcarry = rest if len(rest) <= _MAX_CARRY else b""

    def finish(self) -> _SheetFacts:
        self.feed(b"", final=True)
        if self.letters:
            self.facts.cols = max(_letters_value(x) for x in self.letters)
        elif self.any_cell:
            self.facts.cols = 26
        else:
            self.facts.rows = 0
        return self.facts


def _hidden_rows_and_columns(region: bytes, facts: _SheetFacts) -> None:
    """The rows and columns a region of sheet XML hides (the fast path: every row tag there has its r)."""
    for attrs in _ROW_TAG.findall(region):
        if _HIDDEN_ATTR.search(attrs) and (number := _R_ATTR.search(attrs)):
            facts.hidden_rows.append(int(number[1]))
    for attrs in _COL_TAG.findall(region):
        if _HIDDEN_ATTR.search(attrs) and (low := _MIN_ATTR.search(attrs)):
            high = _MAX_ATTR.search(attrs)
            last = min(int(high[1]) if high else int(low[1]), EXCEL_MAX_COLUMNS)
            facts.hidden_cols.extend(range(int(low[1]), last + 1))


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1]


class _XmlGuard:
    """An expat parser that refuses DTDs (no entities, no external anything) and counts tags."""

    def __init__(self, limit_tags: int, part: str = ""):
        self.part = part
        self.parser = expat.ParserCreate()
        self.parser.buffer_text = True
        self.parser.StartDoctypeDeclHandler = self._no_dtd
        self.parser.EntityDeclHandler = self._no_dtd
        self.parser.ExternalEntityRefHandler = self._no_dtd
        self.tags = 0
        self.limit = limit_tags

    @staticmethod
    def _no_dtd(*_):
        raise _corrupt("phần XML chứa khai báo DOCTYPE/ENTITY, không có trong tệp Excel thật")

    def count(self) -> None:
        self.tags += 1
        if self.tags > self.limit:
            raise _TooManyTags

    def feed(self, chunk: bytes, final: bool = False) -> None:
        try:
            self.parser.Parse(chunk, final)
        except expat.ExpatError as exc:
            where = f"phần “{self.part}” " if self.part else ""
            raise _corrupt(f"{where}lỗi XML ở dòng {exc.lineno}: {expat.ErrorString(exc.code)}") from None


class _TooManyTags(Exception):
    pass


class _SlowSheetScan(_XmlGuard):
    """Follows a worksheet exactly as calamine's cell reader does (xlsx/cells_reader.rs)."""

    def __init__(self, shared: _SharedStrings | None, limit_tags: int = MAX_SLOW_SCAN_TAGS):
        super().__init__(limit_tags)
        self.facts = _SheetFacts(slow=True, exact=True, shared_bytes=0)
        self.shared = shared
        self.row_index = 0
        self.col_index = 0
        self.cell: dict | None = None
        self.depth = 0  # elements open inside the current cell
        self.child = ""  # local name of the open child of the cell (depth 1)
        self.value_text: list[str] = []
        p = self.parser
        p.StartElementHandler = self.start
        p.EndElementHandler = self.end
        p.CharacterDataHandler = self.text

    def start(self, name, attrs):
        self.count()
        local = _local(name)
        if self.cell is not None:  # inside a cell, as calamine: children are values, nothing else counts
            self.depth += 1
            if self.depth == 1:
                self.child = local
                if local == "v":
                    self.value_text = []
                elif local != "f":
                    self.cell["value"] = True  # <is> and anything unknown: count the cell, to stay on the safe side
            if local == "f":
                self.cell["f"] = True
            return
        if local == "row":
            r = attrs.get("r")
            if r is not None:
                row = self._ref(r, need_column=False)[0]
                self.row_index = row
            self._note_hidden(local, attrs)
        elif local == "col":
            self._note_hidden(local, attrs)
        elif local == "c":
            r = attrs.get("r")
            if r is not None:
                pos = self._ref(r)
                self.col_index = pos[1]
            else:
                pos = (self.row_index, self.col_index)
            if pos[0] >= EXCEL_MAX_ROWS or pos[1] >= EXCEL_MAX_COLUMNS:
                raise _Outside(column_name(pos[1]) + str(pos[0] + 1))
            self.cell = {"pos": pos, "t": attrs.get("t"), "f": False, "value": False, "shared": None}
            self.depth = 0
        elif local == "mergeCell":
            self.facts.merges += 1

    def _note_hidden(self, local: str, attrs: dict) -> None:
        """A row or column Excel does not show (`hidden="1"`), 1-based."""
        if attrs.get("hidden") not in ("1", "true"):
            return
        if local == "row":
            self.facts.hidden_rows.append(self.row_index + 1)
        elif (attrs.get("min") or "").isdigit():
            low = int(attrs["min"])
            high = int(attrs["max"]) if (attrs.get("max") or "").isdigit() else low
            self.facts.hidden_cols.extend(range(low, min(high, EXCEL_MAX_COLUMNS) + 1))

    def text(self, data):
        if self.cell is not None and self.depth == 1 and self.child == "v":
            self.value_text.append(data)

    def end(self, name):
        local = _local(name)
        if self.cell is not None and self.depth > 0:
            if self.depth == 1 and self.child == "v":
                text = "".join(self.value_text)
                if text:  # calamine reads " " as a text value: whitespace is data here too
                    self.cell["value"] = True
                    if self.cell["t"] == "s":
                        self.cell["shared"] = text.strip()
            self.depth -= 1
            return
        if local == "c" and self.cell is not None:
            cell, self.cell = self.cell, None
            row, col = cell["pos"]
            if cell["value"]:
                facts = self.facts
                facts.rows = max(facts.rows, row + 1)
                facts.cols = max(facts.cols, col + 1)
                if cell["t"] == "s":
                    facts.shared_cells += 1
                    facts.shared_bytes += self.shared.length(cell["shared"]) if self.shared else 0
            elif cell["f"]:
                self.facts.unsaved.append(column_name(col) + str(row + 1))
            self.col_index += 1
        elif local == "row":
            self.row_index += 1
            self.col_index = 0

    def _ref(self, value: str, need_column: bool = True) -> tuple[int, int]:
        try:
            row, col = _calamine_ref(value, need_column)
        except OverflowError:
            raise _Outside(value) from None
        except ValueError:
            raise _BadRef(value) from None
        return row, (col if col is not None else 0)


class _SharedStrings:
    """Upper bounds of the length of each shared string (xl/sharedStrings.xml), in calamine's numbering."""

    _TOKEN = re.compile(rb"<(/?)(?:[A-Za-z_][\w.\-]*:)?(si|t|r)(?=[\s/>])[^<>]*?(/?)>")

    def __init__(self):
        self.lengths = array("Q")
        self.total = 0
        self.regular = True  # every <si> closes before the next one opens, no CDATA/comments/phonetic runs
        self.offset = 0
        self.carry = b""
        self.in_si = False
        self.si_start = 0
        self.pushed = False

    def feed(self, chunk: bytes, final: bool = False) -> None:
        self.total += len(chunk)
        region = self.carry + chunk
        cut = len(region) if final else max(region.rfind(b"<"), 0)
        if not final and cut == 0 and len(region) > _MAX_CARRY:
            cut, self.regular = len(region), False
        self.carry, region = region[cut:], region[:cut]
        base = self.offset
        self.offset += len(region)
        if b"\x00" in region:
            raise _corrupt("phần XML chứa ký tự NUL")
        if _BAD_XML.search(region):
            raise _corrupt("phần XML chứa khai báo DOCTYPE/ENTITY, không có trong tệp Excel thật")
        if not self.regular:
            return
        if b"<![CDATA[" in region or b"<!--" in region or b"rPh" in region or region.count(b"<?") > (base == 0):
            self.regular = False
            return
        for m in self._TOKEN.finditer(region):
            closing, name, empty = m.group(1), m.group(2), m.group(3)
            if name == b"si":
                if closing:
                    if not self.in_si:
                        self.regular = False
                        return
                    if self.pushed:
                        self.lengths.append(base + m.end() - self.si_start)
                    self.in_si = False
                elif empty:
                    if self.in_si:
                        self.regular = False
                        return
                else:
                    if self.in_si:
                        self.regular = False
                        return
                    self.in_si, self.si_start, self.pushed = True, base + m.start(), False
            elif not closing and self.in_si:
                self.pushed = True
        if len(self.lengths) > MAX_SHARED_STRINGS:
            raise _refuse(f"Tệp bị từ chối: có quá nhiều chuỗi ký tự dùng chung (trên {_count(MAX_SHARED_STRINGS)}).")

    def finish(self) -> "_SharedStrings":
        self.feed(b"", final=True)
        if self.in_si:
            self.regular = False
        return self

    @property
    def longest(self) -> int:
        if not self.regular:
            return self.total
        return max(self.lengths, default=0)

    def length(self, index) -> int:
        """Upper bound of the UTF-8 length of shared string number `index` (text or int)."""
        if not self.regular:
            return self.total
        try:
            i = int(index)
        except (TypeError, ValueError):
            return 0
        return self.lengths[i] if 0 <= i < len(self.lengths) else 0


class _OdsScan(_XmlGuard):
    """Follows content.xml as calamine's ods reader does: repeated rows and cells, and the text they copy."""

    def __init__(self, limit_tags: int = MAX_SLOW_SCAN_TAGS):
        super().__init__(limit_tags)
        self.tables: list[tuple[str, int, int]] = []  # (name, rows, columns) of the extent from A1
        self.text_bytes = 0
        # table name → (rows, columns) hidden in LibreOffice (visibility "collapse" or "filter"), 1-based
        self.hidden: dict[str, tuple[list[int], list[int]]] = {}
        self.stack: list[dict] = []
        self.row: dict | None = None
        self.cell: dict | None = None
        self.depth = 0  # elements open inside the current cell (calamine skips them, nested tables included)
        p = self.parser
        p.StartElementHandler = self.start
        p.EndElementHandler = self.end
        p.CharacterDataHandler = self.chars

    @staticmethod
    def _repeat(attrs: dict, key: str) -> int:
        for name, value in attrs.items():
            if _local(name) == key:
                try:
                    n = int(value)
                except ValueError:
                    raise _corrupt(f"số lần lặp “{value[:20]}” không hợp lệ") from None
                if n < 1:
                    raise _corrupt(f"số lần lặp “{value[:20]}” không hợp lệ")
                return n
        return 1

    def start(self, name, attrs):
        self.count()
        local = _local(name)
        if self.cell is not None:
            self.depth += 1
            self.cell["value"] = True
            if local == "s":
                self.cell["text"] += self._repeat(attrs, "c")
            self.cell["text"] += sum(len(v.encode()) for v in attrs.values())
            return
        if local == "table":
            self.stack.append({"name": attrs.get("table:name", ""), "row": 0, "rows": 0, "cols": 0, "column": 0})
            self.row = self.cell = None
        elif local == "table-column" and self.stack:
            table, repeat = self.stack[-1], self._repeat(attrs, "number-columns-repeated")
            if _hidden_visibility(attrs) and table["column"] < EXCEL_MAX_COLUMNS:
                hidden = self.hidden.setdefault(table["name"], ([], []))[1]
                hidden.extend(range(table["column"] + 1, min(table["column"] + repeat, EXCEL_MAX_COLUMNS) + 1))
            table["column"] += repeat
        elif local == "table-row" and self.stack:
            self.row = {"repeat": self._repeat(attrs, "number-rows-repeated"), "col": 0, "width": 0, "text": 0,
                        "hidden": _hidden_visibility(attrs)}
        elif local in ("table-cell", "covered-table-cell") and self.row is not None:
            valued = any(_local(k) in ("value-type", "value", "string-value", "date-value", "time-value",
                                       "boolean-value", "formula") for k in attrs)
            self.cell = {"repeat": self._repeat(attrs, "number-columns-repeated"), "value": valued,
                         "text": sum(len(v.encode()) for v in attrs.values())}
            self.depth = 0

    def chars(self, data):
        if self.cell is not None:
            self.cell["text"] += len(data.encode())
            if data.strip():
                self.cell["value"] = True

    def end(self, name):
        local = _local(name)
        if self.cell is not None and self.depth > 0:
            self.depth -= 1
            return
        if local in ("table-cell", "covered-table-cell") and self.cell is not None and self.row is not None:
            cell, self.cell = self.cell, None
            self.row["col"] += cell["repeat"]
            if cell["value"]:
                self.row["width"] = self.row["col"]
                self.row["text"] += cell["text"] * cell["repeat"]
        elif local == "table-row" and self.row is not None and self.stack:
            row, self.row = self.row, None
            table = self.stack[-1]
            table["row"] += row["repeat"]
            if row["width"]:
                if row["hidden"]:  # only rows with content matter, so this is bounded by the cell limit
                    hidden = self.hidden.setdefault(table["name"], ([], []))[0]
                    hidden.extend(range(table["row"] - row["repeat"] + 1, table["row"] + 1))
                table["rows"] = table["row"]
                table["cols"] = max(table["cols"], row["width"])
                self.text_bytes += row["text"] * row["repeat"]
                if table["rows"] * table["cols"] > MAX_CELLS or self.text_bytes > MAX_SHARED_TEXT_BYTES:
                    self.tables.append((table["name"], table["rows"], table["cols"]))
                    raise _TooBig
        elif local == "table" and self.stack:
            table = self.stack.pop()
            self.tables.append((table["name"], table["rows"], table["cols"]))


class _TooBig(Exception):
    pass


def _hidden_visibility(attrs: dict) -> bool:
    return any(_local(k) == "visibility" and v in ("collapse", "filter") for k, v in attrs.items())


# ---------------------------------------------------------------------------------------------------------------
# The .xlsx / .ods container
# ---------------------------------------------------------------------------------------------------------------

_SHEET_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?sheet(?=[\s/>])([^<>]*)>")
_REL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?Relationship(?=[\s/>])([^<>]*)>")
_ATTR = re.compile(rb"([\w:.\-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")


def _attrs(raw: bytes) -> dict[bytes, bytes]:
    return {m[1]: m[2] if m[2] is not None else m[3] for m in _ATTR.finditer(raw)}


def _sheet_paths(workbook_xml: bytes, rels_xml: bytes) -> list[tuple[str, str]]:
    """(sheet name, part name in lower case) for each <sheet> of workbook.xml, resolved as calamine resolves it."""
    targets = {}
    for m in _REL_TAG.finditer(rels_xml):
        a = _attrs(m.group(1))
        if b"Id" in a:
            targets[a[b"Id"]] = a.get(b"Target", b"").decode("utf-8", "replace")
    sheets = []
    for m in _SHEET_TAG.finditer(workbook_xml):
        a = _attrs(m.group(1))
        rid = a.get(b"r:id", a.get(b"relationships:id"))
        target = targets.get(rid, "") if rid is not None else ""
        # calamine: an absolute target from the package root, anything else under xl/ ("xl/worksheets/a.xml"
        # is xl/xl/worksheets/a.xml to it, so that is the part to check)
        path = target[1:] if target.startswith("/") else "xl/" + target
        name = html.unescape(a.get(b"name", b"").decode("utf-8", "replace"))
        sheets.append((name, path.lower()))
    return sheets


def _macro_parts(keys: set[str]) -> bool:
    return ("xl/vbaproject.bin" in keys or any(k.startswith(("xl/macrosheets/", "basic/", "scripts/")) for k in keys)
            or any(k.endswith("vbaproject.bin") for k in keys))


def _zip_kind(parts: dict[str, _Part], view: memoryview, filename: str) -> str:
    """"xlsx" or "ods", or a refusal saying what the zip really is."""
    keys = set(parts)
    ext = _ext(filename)
    if "xl/workbook.bin" in keys:  # even beside xl/workbook.xml: calamine would fall back to its .xlsb reader
        raise _refuse("Tệp là bảng tính Excel nhị phân (.xlsb), chưa được hỗ trợ. Hãy mở tệp bằng Excel rồi lưu lại "
                      "dạng .xlsx (Excel Workbook) và tải lên.")
    if "xl/workbook.xml" in keys:
        return "xlsx"
    mimetype = ""
    if "mimetype" in keys:
        mimetype = _read_whole(view, parts["mimetype"], 4096).decode("ascii", "replace").strip()
    if "content.xml" in keys and (not mimetype or mimetype.startswith("application/vnd.oasis.opendocument.spreadsheet")):
        return "ods"
    if "word/document.xml" in keys or mimetype.startswith("application/vnd.oasis.opendocument.text"):
        word = "văn bản Word (.docx)" if "word/document.xml" in keys else "văn bản OpenDocument (.odt)"
        raise _refuse(f"Tệp là {word} được đặt đuôi {ext}, không phải là bảng tính Excel. "
                      "Hãy tải lên tệp Excel (.xlsx).")
    if "ppt/presentation.xml" in keys or mimetype.startswith("application/vnd.oasis.opendocument.presentation"):
        raise _refuse(f"Tệp là bản trình chiếu (PowerPoint) được đặt đuôi {ext}, không phải là bảng tính Excel.")
    inner = [p.info.filename for p in parts.values() if p.key.endswith((".xlsx", ".xlsm", ".xls", ".ods"))]
    if inner:
        raise _refuse(f"Tệp là tệp nén .zip chứa tệp Excel “{inner[0]}”. Hãy giải nén rồi tải lên tệp Excel bên "
                      "trong.")
    if not any(k.endswith(".xml") or k.endswith(".rels") for k in keys):
        raise _refuse("Tệp là tệp nén .zip, không phải là bảng tính Excel (.xlsx). Hãy giải nén rồi tải lên tệp "
                      "Excel bên trong.")
    raise _refuse("Tệp không phải là bảng tính Excel (.xlsx) hợp lệ: thiếu phần “xl/workbook.xml”. " + RESAVE)


def _sheet_label(name: str | None, key: str) -> str:
    return f"Sheet “{name}”" if name else f"Phần “{key}”"


def _too_many_cells(label: str, rows: int, cols: int, total: int) -> WorkbookRefused:
    far = f"{column_name(cols - 1)}{rows}" if rows and cols else "?"
    return _refuse(f"{label} có vùng dữ liệu quá lớn: ô xa nhất có dữ liệu là {far} ({_count(rows)} dòng × "
                   f"{_count(cols)} cột; cả tệp {_count(total)} ô, giới hạn {_count(MAX_CELLS)} ô). Thường do một ô "
                   "có dữ liệu nằm rất xa bảng: hãy xóa các dòng, cột thừa ở cuối sheet rồi lưu lại và tải lên.")


def _shared_text_refusal(total: int) -> WorkbookRefused:
    return _refuse(f"Tệp bị từ chối: nội dung chữ khi đọc ra quá lớn (khoảng {_mb(total)}, giới hạn "
                   f"{_mb(MAX_SHARED_TEXT_BYTES)}): các ô dùng chung những chuỗi ký tự rất dài. Tệp có thể đã bị sửa "
                   "đổi để gây quá tải. " + RESAVE)


def _recount_columns(view: memoryview, part: _Part, fact: _SheetFacts) -> None:
    """The exact widest column of a sheet written the usual way (the fast pass only knows "not past Z")."""
    letters: set[bytes] = set()
    carry = b""
    for chunk in _inflate(view, part):
        region = carry + chunk
        cut = max(region.rfind(b"<"), 0)
        letters.update(_ANY_LETTERS.findall(region, 0, cut))
        carry = region[cut:][-_MAX_CARRY:]
    letters.update(_ANY_LETTERS.findall(carry))
    fact.cols = max((_letters_value(x) for x in letters), default=0)
    fact.recounted = True


def _recount_shared(view: memoryview, part: _Part, fact: _SheetFacts, shared: _SharedStrings) -> bool:
    """Exact bytes of shared text a sheet written the usual way copies; False if its string cells are unusual."""
    counts: Counter = Counter()
    carry = b""
    for chunk in _inflate(view, part):
        region = carry + chunk
        cut = region.rfind(b"<c ")
        cut = len(region) if cut < 0 else cut
        counts.update(_SHARED_IDX.findall(region, 0, cut))
        carry = region[cut:][-_MAX_CARRY:]
    counts.update(_SHARED_IDX.findall(carry))
    if sum(counts.values()) != fact.shared_cells:
        return False
    fact.shared_bytes = sum(n * shared.length(i) for i, n in counts.items())
    return True


def _follow_tags(view: memoryview, part: _Part, label: str, shared: _SharedStrings | None,
                 fact: _SheetFacts, sheet: str | None = None) -> _SheetFacts:
    """The sheet as calamine reads it, tag by tag (for XML not written the usual way, or to replace a bound)."""
    if fact.tags > MAX_SLOW_SCAN_TAGS:
        raise _refuse(f"{label} được ghi theo cách không thông thường và quá lớn để kiểm tra an toàn. Hãy mở tệp bằng "
                      "Excel, lưu lại (Excel sẽ ghi lại theo chuẩn) rồi tải lên.")
    scan = _SlowSheetScan(shared)
    scan.part = part.info.filename
    try:
        for chunk in _inflate(view, part):
            scan.feed(chunk)
        scan.feed(b"", True)
    except _Outside as outside:
        raise _refuse(f"{label} có ô “{outside.ref[:20]}” nằm ngoài giới hạn của Excel ({_count(EXCEL_MAX_ROWS)} "
                      f"dòng × {_count(EXCEL_MAX_COLUMNS)} cột). " + RESAVE, sheet) from None
    except _BadRef as bad:
        raise _refuse(f"{label} có địa chỉ ô “{bad.ref[:20]}” không hợp lệ (tệp bị hỏng hoặc do phần mềm khác ghi "
                      "sai). " + RESAVE, sheet) from None
    except _TooManyTags:  # pragma: no cover - the tags were counted by the fast pass
        raise _refuse(f"{label} quá lớn để kiểm tra an toàn.") from None
    return scan.facts


@dataclass
class _XlsxScan:
    unsaved: dict[str, list[str]]  # formula cells without a saved value, by sheet name
    sheets: list[tuple[str, str]]  # (sheet name, part) in workbook order
    shared: _SharedStrings | None
    hidden: dict[str, tuple[list[int], list[int]]] = field(default_factory=dict)  # name → (rows, columns), 1-based


def _scan_xlsx(view: memoryview, parts: dict[str, _Part]) -> _XlsxScan:
    """Check every part of an .xlsx before calamine reads it."""
    workbook_xml = _read_whole(view, parts["xl/workbook.xml"])
    rels = parts.get("xl/_rels/workbook.xml.rels")
    rels_xml = _read_whole(view, rels) if rels else b""
    for xml_text in (workbook_xml, rels_xml):
        if _BAD_XML.search(xml_text) or b"\x00" in xml_text:
            raise _corrupt("phần XML chứa khai báo DOCTYPE/ENTITY hoặc ký tự NUL")
    sheets = _sheet_paths(workbook_xml, rels_xml)
    if len(sheets) > MAX_SHEETS:
        raise _refuse(f"Tệp có quá nhiều sheet ({_count(len(sheets))}; giới hạn {MAX_SHEETS}). Hãy tách thành "
                      "nhiều tệp.")
    names_by_key: dict[str, str] = {}
    for name, key in sheets:
        names_by_key.setdefault(key, name)

    shared = None
    if "xl/sharedstrings.xml" in parts:
        shared = _SharedStrings()
        for chunk in _inflate(view, parts["xl/sharedstrings.xml"]):
            shared.feed(chunk)
        shared.finish()

    facts: dict[str, _SheetFacts] = {}
    sheet_keys = {key for _, key in sheets}  # a <sheet> may point anywhere in the package: calamine reads it there
    for key, part in parts.items():
        if key.startswith(_SHEET_DIRS) or key in sheet_keys:
            scan = _FastSheetScan()
            for chunk in _inflate(view, part):
                scan.feed(chunk)
            facts[key] = scan.finish()
            if facts[key].slow:
                facts[key] = _follow_tags(view, part, _sheet_label(names_by_key.get(key), key), shared, facts[key],
                                          names_by_key.get(key))
        elif key not in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/sharedstrings.xml"):
            for _ in _inflate(view, part):  # verified (size, CRC) though calamine never reads it
                pass
    read = [(name, key) for name, key in sheets if key in facts]  # calamine reads each <sheet>, even twice a part
    for key, fact in facts.items():
        if fact.rows > EXCEL_MAX_ROWS or fact.cols > EXCEL_MAX_COLUMNS:
            far = f"{column_name(fact.cols - 1)}{fact.rows}"
            raise _refuse(f"{_sheet_label(names_by_key.get(key), key)} có ô nằm ngoài giới hạn của Excel (tới {far}; "
                          f"giới hạn {_count(EXCEL_MAX_ROWS)} dòng × {_count(EXCEL_MAX_COLUMNS)} cột). " + RESAVE)

    def cells_total() -> int:
        return sum(facts[key].rows * facts[key].cols for _, key in read)

    for name, key in sorted(set(read), key=lambda s: -facts[s[1]].rows * facts[s[1]].cols):
        if cells_total() <= MAX_CELLS:
            break
        fact = facts[key]
        if not fact.exact and fact.cols == 26 and not fact.recounted:
            _recount_columns(view, parts[key], fact)
        if cells_total() > MAX_CELLS and not fact.exact:
            label = _sheet_label(name, key)
            if fact.tags > MAX_SLOW_SCAN_TAGS:
                raise _too_many_cells(label, fact.rows, fact.cols, cells_total())
            facts[key] = _follow_tags(view, parts[key], label, shared, fact, name)
    total = cells_total()
    if total > MAX_CELLS:
        name, key = max(read, key=lambda s: facts[s[1]].rows * facts[s[1]].cols)
        raise _too_many_cells(_sheet_label(name, key), facts[key].rows, facts[key].cols, total)

    merges = sum(facts[key].merges for _, key in read)
    if merges > MAX_MERGED_RANGES:
        raise _refuse(f"Tệp có quá nhiều vùng gộp ô ({_count(merges)}; giới hạn {_count(MAX_MERGED_RANGES)}). "
                      + RESAVE)

    if shared is not None:  # each cell typed "s" gets its own copy of the string it points to
        def text_total() -> int:
            return sum(facts[key].shared_bytes if facts[key].shared_bytes is not None
                       else facts[key].shared_cells * shared.longest for _, key in read)

        for name, key in sorted(set(read), key=lambda s: -facts[s[1]].shared_cells):
            if text_total() <= MAX_SHARED_TEXT_BYTES or not shared.regular:
                break
            fact = facts[key]
            if fact.shared_bytes is None and not _recount_shared(view, parts[key], fact, shared):
                facts[key] = _follow_tags(view, parts[key], _sheet_label(name, key), shared, fact, name)
        if text_total() > MAX_SHARED_TEXT_BYTES:
            raise _shared_text_refusal(text_total())

    unsaved: dict[str, list[str]] = {}
    for name, key in read:
        if facts[key].unsaved and name not in unsaved:
            unsaved[name] = list(facts[key].unsaved)
    hidden = {name: (sorted(set(facts[key].hidden_rows)), sorted(set(facts[key].hidden_cols)))
              for name, key in read if facts[key].hidden_rows or facts[key].hidden_cols}
    return _XlsxScan(unsaved, read, shared, hidden)


# ---------------------------------------------------------------------------------------------------------------
# When calamine refuses an .xlsx: which cell?
# ---------------------------------------------------------------------------------------------------------------

_RUST_FLOAT = re.compile(r"[+-]?(?:inf|infinity|nan|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)", re.I)
_CELL_ERRORS = {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#GETTING_DATA"}
_CELL_TYPES = {None, "n", "s", "b", "e", "str", "inlineStr", "d"}


class _Culprit(Exception):
    def __init__(self, ref: str, message: str):
        super().__init__(message)
        self.ref, self.message = ref, message


class _CellDiagnosis(_XmlGuard):
    """Finds the cell calamine could not read, with calamine's rules (xlsx/cells_reader.rs, read_v)."""

    def __init__(self, shared_count: int | None, suspicious: bool):
        super().__init__(MAX_SLOW_SCAN_TAGS)
        self.shared_count = shared_count
        self.suspicious = suspicious  # second round: also numbers calamine may fail on (±inf, NaN in a date)
        self.row_index = self.col_index = 0
        self.cell: dict | None = None
        self.depth = 0
        self.child = ""
        self.text: list[str] = []
        p = self.parser
        p.StartElementHandler = self.start
        p.EndElementHandler = self.end
        p.CharacterDataHandler = self.chars

    def start(self, name, attrs):
        self.count()
        local = _local(name)
        if self.cell is not None:
            self.depth += 1
            if self.depth == 1:
                self.child, self.text = local, []
            return
        if local == "row" and attrs.get("r") is not None:
            m = re.fullmatch(r"[A-Za-z]*([0-9]{1,7})", attrs["r"])
            if not m or int(m[1]) < 1:
                raise _Culprit(attrs["r"], f"số dòng “{attrs['r'][:20]}” không hợp lệ")
            self.row_index = int(m[1]) - 1
        elif local == "c":
            r = attrs.get("r")
            if r is not None:
                m = re.fullmatch(r"([A-Za-z]{1,3})([0-9]{1,7})", r)
                if not m or int(m[2]) < 1:
                    raise _Culprit(r, f"địa chỉ ô “{r[:20]}” không hợp lệ")
                pos = (int(m[2]) - 1, _letters_value(m[1].encode()) - 1)
                self.col_index = pos[1]
            else:
                pos = (self.row_index, self.col_index)
            self.cell = {"ref": column_name(pos[1]) + str(pos[0] + 1), "t": attrs.get("t")}
            self.depth = 0
            if self.cell["t"] not in _CELL_TYPES:
                raise _Culprit(self.cell["ref"], f"kiểu ô “{self.cell['t'][:20]}” không hợp lệ")

    def chars(self, data):
        if self.cell is not None and self.depth == 1 and self.child == "v":
            self.text.append(data)

    def end(self, name):
        local = _local(name)
        if self.cell is not None and self.depth > 0:
            if self.depth == 1 and self.child == "v":
                self._value("".join(self.text))
            self.depth -= 1
            return
        if local == "c" and self.cell is not None:
            self.cell = None
            self.col_index += 1
        elif local == "row":
            self.row_index += 1
            self.col_index = 0

    def _value(self, text: str) -> None:
        t, ref = self.cell["t"], self.cell["ref"]
        shown = text[:40]
        if not text:
            return
        if t == "n" and not _RUST_FLOAT.fullmatch(text):
            raise _Culprit(ref, f"ô kiểu số nhưng chứa “{shown}”")
        if t == "s":
            if not text.isdigit() or (self.shared_count is not None and int(text) >= self.shared_count):
                raise _Culprit(ref, f"ô trỏ tới chuỗi dùng chung số “{shown}” không có trong tệp")
        if t == "b" and text not in ("0", "1", "true", "false", "TRUE", "FALSE"):
            raise _Culprit(ref, f"ô kiểu đúng/sai nhưng chứa “{shown}”")
        if t == "e" and text not in _CELL_ERRORS:
            raise _Culprit(ref, f"ô báo lỗi “{shown}” không phải mã lỗi của Excel")
        if self.suspicious and t in (None, "n") and _RUST_FLOAT.fullmatch(text):
            value = float(text)
            if value != value or value in (float("inf"), float("-inf")):
                raise _Culprit(ref, f"ô chứa giá trị “{shown}” không phải là số hữu hạn")


def _diagnose_xlsx(view: memoryview, parts: dict[str, _Part], scan: _XlsxScan) -> WorkbookRefused | None:
    """A refusal naming the sheet and cell calamine could not read, or None if no cell explains it."""
    shared_count = len(scan.shared.lengths) if scan.shared is not None and scan.shared.regular else None
    if scan.shared is None:
        shared_count = 0
    for suspicious in (False, True):
        for name, key in dict.fromkeys(scan.sheets):
            diagnosis = _CellDiagnosis(shared_count, suspicious)
            try:
                for chunk in _inflate(view, parts[key]):
                    diagnosis.feed(chunk)
                diagnosis.feed(b"", True)
            except _Culprit as culprit:
                m = re.fullmatch(r"([A-Z]+)([0-9]+)", culprit.ref)
                row, column = (int(m[2]), m[1]) if m else (None, None)
                where = f"ô {culprit.ref}" if m else "một ô"
                return _refuse(f"Không đọc được {where}: {culprit.message} (tệp bị hỏng hoặc do phần mềm khác ghi sai). "
                               f"Hãy mở tệp bằng Excel, sửa hoặc xóa ô này, lưu lại rồi tải lên.", name, row, column)
            except (WorkbookRefused, _TooManyTags):
                continue
    # No cell explains it: the first part calamine reads that is not well-formed XML.
    core = ["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/sharedstrings.xml",
            *(key for _, key in scan.sheets)]
    for key in dict.fromkeys(core):
        if key not in parts:
            continue
        guard = _XmlGuard(MAX_SLOW_SCAN_TAGS, parts[key].info.filename)
        guard.parser.StartElementHandler = lambda *_: guard.count()
        try:
            for chunk in _inflate(view, parts[key]):
                guard.feed(chunk)
            guard.feed(b"", True)
        except WorkbookRefused as refused:
            return refused
        except _TooManyTags:
            continue
    return None


def _scan_ods(view: memoryview, parts: dict[str, _Part],
              verify_others: bool = True) -> dict[str, tuple[list[int], list[int]]]:
    """Check an .ods before calamine reads it; returns the rows and columns each table hides."""
    if verify_others:
        for key, part in parts.items():
            if key != "content.xml":
                for _ in _inflate(view, part):
                    pass
    scan = _OdsScan()
    scan.part = parts["content.xml"].info.filename
    try:
        for chunk in _inflate(view, parts["content.xml"]):
            if b"\x00" in chunk:
                raise _corrupt("phần XML chứa ký tự NUL")
            scan.feed(chunk)
        scan.feed(b"", True)
    except _TooManyTags:
        raise _refuse("Tệp .ods quá lớn để kiểm tra an toàn. Hãy mở bằng Excel hoặc LibreOffice, lưu lại dạng .xlsx "
                      "rồi tải lên.") from None
    except _TooBig:
        pass
    total = 0
    for name, rows, cols in scan.tables:
        total += rows * cols
        if total > MAX_CELLS:
            raise _too_many_cells(_sheet_label(name, "content.xml"), rows, cols, total)
    if scan.text_bytes > MAX_SHARED_TEXT_BYTES:
        raise _shared_text_refusal(scan.text_bytes)
    return scan.hidden


# ---------------------------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------------------------

@dataclass
class Upload:
    """What the guard learnt of an upload that passed: its format and what calamine must be told or asked."""
    data: bytes
    format: str  # "xlsx" | "ods" | "xls" | "html" (an HTML table saved with an Excel name)
    unsaved_formulas: dict[str, list[str]] = field(default_factory=dict)  # sheet name → ["C5", ...]
    # sheet name → (rows, columns) Excel or LibreOffice hides, 1-based; known for .xlsx, .ods and .xls
    hidden: dict[str, tuple[list[int], list[int]]] = field(default_factory=dict)
    _view: memoryview | None = None
    _parts: dict | None = None
    _scan: object = None

    def diagnose(self) -> WorkbookRefused | None:
        """After calamine failed on an .xlsx: the cell it choked on, located, when one can be found."""
        if self.format != "xlsx" or self._scan is None:
            return None
        return _diagnose_xlsx(self._view, self._parts, self._scan)


def inspect_upload(data: bytes, filename: str = "") -> Upload:
    """Check an upload before any cell is read: size, container, zip parts, sheet XML. Raises WorkbookRefused."""
    if data is None or not len(data):
        raise _refuse("Tệp rỗng (0 byte).")
    data = bytes(data)
    if len(data) > MAX_FILE_BYTES:
        raise _refuse(f"Tệp quá lớn ({len(data) / MB:.0f} MB); giới hạn là {MAX_FILE_BYTES // MB} MB.")
    if data.startswith(_ZIP_MAGIC):
        view = memoryview(data)
        parts = {p.key: p for p in _zip_parts(data)}
        kind = _zip_kind(parts, view, filename)
        if _macro_parts(set(parts)):
            raise _refuse(MACRO)
        if kind == "xlsx":
            scan = _scan_xlsx(view, parts)
            if "content.xml" in parts:  # calamine reads the zip as .ods when its .xlsx reader fails to open it
                _scan_ods(view, parts, verify_others=False)
            return Upload(data, "xlsx", scan.unsaved, scan.hidden, view, parts, scan)
        return Upload(data, "ods", hidden=_scan_ods(view, parts))
    if data.startswith(_OLE_MAGIC):
        _check_ole(data, filename)
        return Upload(data, "xls", hidden=_xls_hidden(data))
    from .html import looks_like_html  # here, not at the top: html.py builds on this module's limits

    if looks_like_html(data):  # "Xuất Excel" of many one-stop systems: an HTML table named .xls
        return Upload(data, "html")
    raise _not_a_workbook(data, filename)
