"""A round's bulletin (通报): ranking, praise and criticism — as data, .xlsx and .docx (official layout basics)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import queries
from .choices import SanctionKind
from .models import InspectionRound, Sanction, SanctionList


@dataclass
class Bulletin:
    round: InspectionRound
    ranking: list
    sanction_list: SanctionList | None
    praise: list[Sanction] = field(default_factory=list)
    criticism: list[Sanction] = field(default_factory=list)

    @property
    def title(self) -> str:
        return _("关于%(campaign)s%(round)s情况的通报") % {
            "campaign": self.round.campaign.name,
            "round": self.round.name,
        }


def build(round_: InspectionRound) -> Bulletin:
    sanction_list = SanctionList.objects.filter(round=round_).first()
    bulletin = Bulletin(round_, queries.round_ranking(round_), sanction_list)
    if sanction_list:
        rows = (
            sanction_list.sanctions.filter(withdrawn=False)
            .select_related("town__town")
            .order_by("rank", "pk")
        )
        for s in rows:
            (bulletin.praise if s.kind == SanctionKind.COMMEND else bulletin.criticism).append(s)
    return bulletin


def _zh(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _money(s: Sanction) -> str:
    return (
        _("，奖励%(a)s元") % {"a": f"{s.amount:,.2f}"}
        if s.amount and s.kind == SanctionKind.COMMEND
        else (_("，处罚%(a)s元") % {"a": f"{s.amount:,.2f}"} if s.amount else "")
    )


def to_xlsx(bulletin: Bulletin) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("镇街排名")
    sheet.append([bulletin.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.merge_cells("A1:D1")
    sheet.append([_("名次"), _("镇(街道)"), _("得分"), _("已检查点位")])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for r in bulletin.ranking:
        sheet.append([r.rank, r.town.town.name, r.score, r.sites])
        sheet.cell(row=sheet.max_row, column=3).number_format = "0.00"
    for column, width in zip("ABCD", (8, 20, 10, 12), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A3"
    rewards = book.create_sheet(_("奖惩名单"))
    rewards.append([_("奖惩方式"), _("镇(街道)"), _("名次"), _("得分"), _("金额(元)"), _("依据")])
    for cell in rewards[1]:
        cell.font = Font(bold=True)
    for s in bulletin.praise + bulletin.criticism:
        rewards.append(
            [s.get_kind_display(), s.town.town.name, s.rank, s.score, s.amount, s.adjustment or s.reason]
        )
    for column, width in zip("ABCDEF", (12, 20, 8, 10, 14, 40), strict=True):
        rewards.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _font(run, name: str, size: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _page_number(paragraph) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    _font(run, "宋体", 14)


def to_docx(bulletin: Bulletin) -> bytes:
    """A4, margins per GB/T 9704 (37/35/28/26 mm), 方正小标宋 (黑体 fallback) 2号 title, 仿宋 3号 body, page numbers."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading = title.add_run(bulletin.title)
    _font(heading, "方正小标宋简体", 22)
    heading.font.name = "黑体"  # Latin and digits; East Asian text keeps 小标宋

    def body(text: str, heading: bool = False) -> None:
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(32)
        p.paragraph_format.line_spacing = Pt(28)
        _font(p.add_run(text), "黑体" if heading else "仿宋_GB2312", 16)

    round_ = bulletin.round
    body(
        _(
            "%(start)s至%(end)s，县专项行动领导小组办公室以%(kind)s方式对各镇（街道）进行了检查，现将结果通报如下。"
        )
        % {
            "start": round_.start_date.strftime("%Y年%m月%d日"),
            "end": round_.end_date.strftime("%Y年%m月%d日"),
            "kind": round_.get_kind_display(),
        }
    )
    body(_("一、检查排名"), heading=True)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, (_("名次"), _("镇(街道)"), _("得分"), _("检查点位")), strict=True
    ):
        _font(cell.paragraphs[0].add_run(text), "黑体", 12)
    for r in bulletin.ranking:
        cells = table.add_row().cells
        for cell, text in zip(
            cells, (str(r.rank), r.town.town.name, f"{r.score:.2f}", str(r.sites)), strict=True
        ):
            _font(cell.paragraphs[0].add_run(text), "仿宋_GB2312", 12)
    body(_("二、通报表扬"), heading=True)
    for s in bulletin.praise or []:
        body(
            _("%(town)s（第%(rank)s名，%(score)s分）：%(reason)s%(money)s。")
            % {
                "town": s.town.town.name,
                "rank": s.rank or "—",
                "score": s.score or "—",
                "reason": s.reason,
                "money": _money(s),
            }
        )
    if not bulletin.praise:
        body(_("无。"))
    body(_("三、通报批评"), heading=True)
    for s in bulletin.criticism:
        body(
            _("%(town)s（第%(rank)s名，%(score)s分）：%(reason)s%(money)s。")
            % {
                "town": s.town.town.name,
                "rank": s.rank or "—",
                "score": s.score or "—",
                "reason": s.reason,
                "money": _money(s),
            }
        )
    if not bulletin.criticism:
        body(_("无。"))
    body(_("请各镇（街道）对照检查发现的问题，按整改通知要求限期整改到位。"))
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(footer)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
