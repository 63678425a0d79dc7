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
    pdf.set_font("Helvetica", "B", 14)
    pdf.set_y(26)
    pdf.cell(0, 8, "Officina 4.0", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "B", 30)
    pdf.ln(8)
    pdf.cell(0, 14, plain(text.heading), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(33, 37, 41)
    pdf.set_font("Helvetica", size=14)
    pdf.ln(10)
    pdf.cell(0, 8, plain(text.awarded_to), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "B", 26)
    pdf.ln(4)
    pdf.multi_cell(0, 12, plain(learner_name), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", size=14)
    pdf.ln(4)
    pdf.cell(0, 8, plain(text.completed), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "B", 20)
    pdf.ln(2)
    pdf.multi_cell(0, 10, plain(course_title), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", size=14)
    pdf.ln(2)
    pdf.cell(0, 8, plain(text.on_date), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*GREY)
    pdf.set_font("Helvetica", size=10)
    pdf.set_y(172)
    pdf.cell(0, 6, plain(f"{text.code_label}: {format_code(code)}"), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.cell(0, 6, plain(f"{text.verify} {verify_url}"), align="C", link=verify_url,
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
