"""Files are judged by their bytes: allowed types pass, disguised files and zip bombs do not."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from duban.attachments import factories as f
from duban.attachments.filetypes import clean_filename, inspect


def refusal(name: str, data: bytes) -> str:
    with pytest.raises(ValidationError) as info:
        inspect(name, data)
    return " ".join(info.value.messages)


@pytest.mark.parametrize(
    ("name", "data", "file_type", "mime"),
    [
        ("现场.jpg", f.image_bytes("JPEG"), "jpeg", "image/jpeg"),
        ("现场.JPEG", f.image_bytes("JPEG"), "jpeg", "image/jpeg"),
        ("平面图.png", f.image_bytes("PNG"), "png", "image/png"),
        ("航拍.webp", f.image_bytes("WEBP"), "webp", "image/webp"),
        ("动图.gif", f.image_bytes("GIF"), "gif", "image/gif"),
        ("合同.pdf", f.pdf_bytes(), "pdf", "application/pdf"),
        (
            "纪要.docx",
            f.office_bytes("docx"),
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "台账.xlsx",
            f.office_bytes("xlsx"),
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "汇报.pptx",
            f.office_bytes("pptx"),
            "pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("旧纪要.doc", f.ole_bytes("WordDocument"), "doc", "application/msword"),
        ("旧台账.xls", f.ole_bytes("Workbook"), "xls", "application/vnd.ms-excel"),
        ("旧汇报.ppt", f.ole_bytes("PowerPoint Document"), "ppt", "application/vnd.ms-powerpoint"),
        ("金山文字.wps", f.ole_bytes("WordDocument"), "doc", "application/msword"),
        ("金山表格.et", f.ole_bytes("Workbook"), "xls", "application/vnd.ms-excel"),
        ("说明.txt", "项目进展顺利\n".encode(), "text", "text/plain"),
        ("名单.csv", "单位,联络员\r\n商务局,张三\r\n".encode("gbk"), "text", "text/csv"),
        ("名单.csv", "\ufeff单位,联络员\n".encode(), "text", "text/csv"),
    ],
)
def test_allowed_types_are_recognised_by_content(name, data, file_type, mime):
    inspected = inspect(name, data)

    assert (inspected.file_type, inspected.mime) == (file_type, mime)


def test_a_renamed_exe_named_photo_jpg_is_refused():
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode"

    message = refusal("photo.jpg", exe)

    assert "文件类型与扩展名不符" in message
    assert "可执行程序" in message


def test_an_html_file_named_jpg_is_refused():
    message = refusal("photo.jpg", b"<!DOCTYPE html><html><script>alert(1)</script></html>")

    assert "文件类型与扩展名不符" in message


def test_a_pdf_named_png_is_refused():
    assert "文件类型与扩展名不符" in refusal("scan.png", f.pdf_bytes())


def test_a_png_named_jpg_is_refused():
    assert "文件类型与扩展名不符" in refusal("photo.jpg", f.image_bytes("PNG"))


def test_markup_is_not_accepted_as_text():
    assert "文件类型与扩展名不符" in refusal("readme.txt", b"  <svg onload=alert(1)>")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("setup.exe", b"MZ\x90\x00"),
        ("page.html", b"<html></html>"),
        ("archive.zip", f.zip_bytes({"a.txt": b"x"})),
        ("no-extension", f.pdf_bytes()),
        ("image.svg", b"<svg/>"),
    ],
)
def test_types_outside_the_allow_list_are_refused(name, data):
    assert refusal(name, data) == "不支持的文件类型"


def test_a_plain_zip_named_docx_is_refused():
    assert "文件类型与扩展名不符" in refusal("纪要.docx", f.zip_bytes({"word/document.xml": b"<x/>"}))


def test_binary_named_txt_is_refused():
    assert "文件类型与扩展名不符" in refusal("说明.txt", b"abc\x00\x01\x02def")


def test_a_small_zip_whose_entry_expands_hugely_is_a_zip_bomb():
    bomb = f.office_bytes("docx", extra={"word/media/fill.bin": b"\0" * (64 * 1024 * 1024)})
    assert len(bomb) < 200 * 1024  # 64 MB of zeros in under 200 KB

    assert refusal("纪要.docx", bomb) == "压缩包内容异常，疑似压缩炸弹"


def test_too_many_entries_is_a_zip_bomb(monkeypatch):
    monkeypatch.setattr("duban.attachments.filetypes.ZIP_MAX_ENTRIES", 50)
    many = f.office_bytes("xlsx", extra={f"xl/worksheets/sheet{i}.xml": b"<x/>" for i in range(60)})

    assert refusal("台账.xlsx", many) == "压缩包内容异常，疑似压缩炸弹"


def test_too_much_in_total_is_a_zip_bomb(monkeypatch):
    monkeypatch.setattr("duban.attachments.filetypes.ZIP_MAX_TOTAL", 1024 * 1024)
    parts = {f"xl/media/{i}.bin": bytes(range(256)) * 1024 for i in range(8)}  # 8 × 256 KB

    assert refusal("台账.xlsx", f.office_bytes("xlsx", extra=parts)) == "压缩包内容异常，疑似压缩炸弹"


def test_a_zip_whose_header_lies_about_the_size_is_refused():
    """The central directory claims a small entry; inflating shows otherwise (size/CRC mismatch)."""
    data = bytearray(f.office_bytes("docx", extra={"word/big.bin": b"A" * 100_000}))
    # The entry's central-directory header precedes the last copy of its name; the declared
    # uncompressed size sits 24 bytes into that header.
    header = data.rfind(b"PK\x01\x02", 0, data.rfind(b"word/big.bin"))
    data[header + 24 : header + 28] = (10).to_bytes(4, "little")
    assert zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/big.bin").file_size == 10

    assert refusal("纪要.docx", bytes(data)) == "文件已损坏或无法识别"


def test_macro_enabled_office_files_are_refused():
    assert refusal("纪要.docx", f.office_bytes("docx", macro=True)) == "不支持含宏的文件"
    assert refusal("纪要.doc", f.ole_bytes("WordDocument", storages=("Macros",))) == "不支持含宏的文件"


def test_an_unknown_compound_file_is_refused():
    assert "文件类型与扩展名不符" in refusal("纪要.doc", f.ole_bytes("Contents"))


def test_a_truncated_office_file_is_damaged():
    assert refusal("纪要.docx", f.office_bytes("docx")[:60]) == "文件已损坏或无法识别"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\张三\\现场照片.JPG", "现场照片.JPG"),
        ("合同\x00\x1b[31m.pdf", "合同[31m.pdf"),
        ('a<b>:"c"|?*.docx', "a_b___c____.docx"),
        ("", "附件"),
        ("...", "附件"),
        ("\u202egnp.exe", "gnp.exe"),  # right-to-left override removed
    ],
)
def test_file_names_are_sanitised(raw, clean):
    assert clean_filename(raw) == clean


def test_long_names_keep_their_extension():
    cleaned = clean_filename("很长" * 200 + ".xlsx")

    assert cleaned.endswith(".xlsx")
    assert len(cleaned) <= 120
