"""Printed papers as PDFs, laid out with fpdf2 (pure Python: no system libraries): the setup
every paper shares (the social report, an assembly's papers, the medication chart).

Text is shaped by HarfBuzz (uharfbuzz), so Arabic letters join and run right to left; the font
is the DejaVu Sans that matplotlib ships, which covers Latin and Arabic. ``align`` and ``rtl``
tell a paper's tables which way their columns run.
"""

from pathlib import Path

import matplotlib
from django.utils.translation import get_language, get_language_bidi
from fpdf import FPDF

FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
INK, MUTED, ACCENT = (31, 42, 40), (90, 100, 98), (47, 111, 94)


class Paper(FPDF):
    """An A4 paper in the reader's language, with its title and author."""

    heading_space = 2  # millimetres above a heading

    def __init__(self, title: str, author: str, orientation: str = "P", bottom: float = 18):
        super().__init__(orientation=orientation, format="A4")
        self.rtl = get_language_bidi()
        self.align = "R" if self.rtl else "L"
        self.add_font("body", "", FONTS / "DejaVuSans.ttf")
        self.add_font("body", "B", FONTS / "DejaVuSans-Bold.ttf")
        self.set_text_shaping(
            use_shaping_engine=True,
            direction="rtl" if self.rtl else "ltr",
            language=get_language(),
        )
        self.set_auto_page_break(True, margin=bottom)
        self.set_title(title)
        self.set_author(author)
        self.set_lang(get_language())

    def heading(self, text: str, size: int = 15) -> None:
        """A heading in the accent colour."""
        self.ln(self.heading_space)
        self.set_font("body", "B", size)
        self.set_text_color(*ACCENT)
        self.multi_cell(0, size * 0.55, text, align=self.align, new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def paragraph(self, text: str, size: int = 10, color: tuple[int, int, int] = INK) -> None:
        """A paragraph, aligned to the start of the reader's lines."""
        self.set_font("body", size=size)
        self.set_text_color(*color)
        self.multi_cell(0, size * 0.5, text, align=self.align, new_x="LMARGIN", new_y="NEXT")
        self.ln(1)
