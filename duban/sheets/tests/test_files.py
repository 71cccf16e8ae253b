"""Bad files: each gets a clear Chinese answer before anything is read into the database."""

import zipfile

import pytest

from duban.sheets.files import FileRefused, read_table

from .conftest import UNIT_HEADER, xlsx_bytes


def _write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_renamed_exe_is_refused_by_its_content(tmp_path):
    path = _write(tmp_path, "单位.xlsx", b"MZ\x90\x00" + b"\x00" * 200)
    with pytest.raises(FileRefused, match="可执行程序"):
        read_table(path, "单位.xlsx")


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "单位.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(FileRefused, match="不是 Excel 工作簿"):
        read_table(path, "单位.xlsx")


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path, settings):
    settings.DUBAN_SHEETS = {"MAX_UPLOAD_MB": 1}
    path = _write(tmp_path, "big.csv", b"a,b\n" * 300_000)
    with pytest.raises(FileRefused, match="超过上限 1 MB"):
        read_table(path, "big.csv")


def test_formulas_are_refused_with_their_cells(tmp_path):
    data = xlsx_bytes([UNIT_HEADER, ["发改局", "", "FGJ", "部门", "示范县", "", 1]], formula_cell="G2")
    with pytest.raises(FileRefused, match=r"G2.*公式"):
        read_table(_write(tmp_path, "f.xlsx", data))


def test_merged_cells_are_refused_with_their_range(tmp_path):
    data = xlsx_bytes([UNIT_HEADER, ["发改局", "", "FGJ", "部门", "示范县", "", 1]], merge="A2:B2")
    with pytest.raises(FileRefused, match="A2:B2"):
        read_table(_write(tmp_path, "m.xlsx", data))


def test_an_empty_sheet_and_a_header_only_sheet_are_refused(tmp_path):
    with pytest.raises(FileRefused, match="空的"):
        read_table(_write(tmp_path, "e.xlsx", xlsx_bytes([])))
    with pytest.raises(FileRefused, match="只有表头"):
        read_table(_write(tmp_path, "h.xlsx", xlsx_bytes([UNIT_HEADER])))


def test_csv_in_utf8_with_bom_and_in_gbk_both_read(tmp_path):
    text = "单位名称,单位代码\r\n发改局,FGJ\r\n"
    for name, data in (("u.csv", "\ufeff" + text), ("g.csv", text)):
        encoded = data.encode("utf-8") if name == "u.csv" else data.encode("gbk")
        table = read_table(_write(tmp_path, name, encoded))
        assert table.header == ["单位名称", "单位代码"]
        assert table.rows == [(2, ["发改局", "FGJ"])]


def test_row_numbers_are_the_ones_excel_shows(tmp_path):
    data = xlsx_bytes([[], UNIT_HEADER, ["发改局"], [], ["商务局"]])
    table = read_table(_write(tmp_path, "n.xlsx", data))
    assert [number for number, _cells in table.rows] == [3, 5]


def test_too_many_rows_are_refused(tmp_path, settings):
    settings.DUBAN_SHEETS = {"MAX_ROWS": 2}
    data = "单位名称\n甲\n乙\n丙\n".encode()
    with pytest.raises(FileRefused, match="超过单次导入上限 2 行"):
        read_table(_write(tmp_path, "r.csv", data))


def test_a_zip_bomb_is_refused(tmp_path, settings):
    settings.DUBAN_SHEETS = {"MAX_UNZIPPED_MB": 1}
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (3 * 1024 * 1024))
    with pytest.raises(FileRefused, match="压缩炸弹"):
        read_table(path)
