"""The certificate PDF (fpdf2, as the assessment report): name, course, date, verification code and the
address where anyone can check it. Built from the Certificate row, so the same certificate always reads the
same. Texts come translated from the caller; this module has no Flask in it."""
from dataclasses import dataclass

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from lms.progress.rules import format_code

BRAND = (11, 79, 108)
GREY = (108, 117, 125)
_PLAIN = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                        "\u2026": "...", "\u00a0": " "})


def plain(text) -> str:
    """fpdf2's built-in fonts are Latin-1 (enough for Italian and English); other characters become '?'."""
    return str(text).translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


@dataclass
class CertificateText:
    heading: str  # "Certificate of completion"
    awarded_to: str  # "This certifies that"
    completed: str  # "has completed the course"
    on_date: str  # "on 16 March 2026"
    verify: str  # "Check this certificate at"
    code_label: str  # "Verification code"


def _centred(pdf: FPDF, text: str, *, size: int, height: int, gap: int = 0, bold: bool = False, wrap: bool = False,
             link: str = ""):
    """One centred line of `text`, `gap` mm below the last; with `wrap`, as many lines as a long name needs."""
    pdf.set_font("Helvetica", "B" if bold else "", size)
    if gap:
        pdf.ln(gap)
    if wrap:
        pdf.multi_cell(0, height, plain(text), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    else:
        pdf.cell(0, height, plain(text), align="C", link=link, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def certificate_pdf(learner_name: str, course_title: str, code: str, verify_url: str, text: CertificateText) -> bytes:
    pdf = FPDF(orientation="L", format="A4")
    pdf.set_title(plain(f"{text.heading}: {course_title}"))
    pdf.set_author("Officina 4.0")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_draw_color(*BRAND)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 277, 190)
    pdf.set_line_width(0.3)
    pdf.rect(14, 14, 269, 182)
    pdf.set_text_color(*BRAND)
    pdf.set_y(26)
    _centred(pdf, "Officina 4.0", size=14, height=8, bold=True)
    _centred(pdf, text.heading, size=30, height=14, gap=8, bold=True)
    pdf.set_text_color(33, 37, 41)
    _centred(pdf, text.awarded_to, size=14, height=8, gap=10)
    _centred(pdf, learner_name, size=26, height=12, gap=4, bold=True, wrap=True)
    _centred(pdf, text.completed, size=14, height=8, gap=4)
    _centred(pdf, course_title, size=20, height=10, gap=2, bold=True, wrap=True)
    _centred(pdf, text.on_date, size=14, height=8, gap=2)
    pdf.set_text_color(*GREY)
    pdf.set_y(172)
    _centred(pdf, f"{text.code_label}: {format_code(code)}", size=10, height=6)
    _centred(pdf, f"{text.verify} {verify_url}", size=10, height=6, link=verify_url)
    return bytes(pdf.output())
