"""The PDF report (fpdf2): the stage, a radar and bars drawn as vector shapes, strengths, priorities with their
path, the team's spread, the change since the previous round and the benchmark. Figures only: no one's answers.

fpdf2's built-in fonts cover Latin-1, which holds Italian and English; the few typographic characters outside
it (dashes, curly quotes) are mapped to plain ones rather than shipping a font file.
"""
import math

from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from lms.assessment import scoring
from lms.assessment.presenting import ResultView

BRAND = (11, 79, 108)
GREY = (108, 117, 125)
LIGHT = (225, 235, 240)
_PLAIN = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                        "\u2026": "...", "\u00a0": " ", "\u2264": "<=", "\u2265": ">="})


def plain(text) -> str:
    return str(text).translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


class _Report(FPDF):
    def __init__(self, footer_text: str):
        super().__init__(format="A4")
        self.footer_text = footer_text
        self.set_auto_page_break(True, margin=18)
        self.set_margins(18, 16, 18)

    def footer(self):
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.set_text_color(*GREY)
        self.cell(0, 5, plain(f"{self.footer_text}  ·  {self.page_no()}/{{nb}}"), align="C")

    def heading(self, text, size=13):
        self.ln(3)
        self.set_font("Helvetica", "B", size)
        self.set_text_color(*BRAND)
        self.multi_cell(0, 7, plain(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)

    def para(self, text, size=10, style=""):
        self.set_font("Helvetica", style, size)
        self.multi_cell(0, 5, plain(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _radar(pdf: _Report, view: ResultView, cx: float, cy: float, radius: float):
    n = len(view.dimensions)
    angle = [(-math.pi / 2) + 2 * math.pi * i / n for i in range(n)]
    pdf.set_draw_color(200, 200, 200)
    pdf.set_line_width(0.2)
    for level in range(1, scoring.MAX_LEVEL + 1):
        r = radius * level / scoring.MAX_LEVEL
        pdf.polygon([(cx + r * math.cos(a), cy + r * math.sin(a)) for a in angle])
    for a in angle:
        pdf.line(cx, cy, cx + radius * math.cos(a), cy + radius * math.sin(a))
    points = [(cx + radius * (d.team.mean or 0) / scoring.MAX_LEVEL * math.cos(a),
               cy + radius * (d.team.mean or 0) / scoring.MAX_LEVEL * math.sin(a))
              for d, a in zip(view.dimensions, angle, strict=True)]
    pdf.set_draw_color(*BRAND)
    pdf.set_fill_color(*LIGHT)
    pdf.set_line_width(0.6)
    pdf.polygon(points, style="DF")
    # Similar firms (orange) and the previous round (grey), dashed, where they exist.
    for values, colour in (([d.peers.mean if d.peers else None for d in view.dimensions], (179, 89, 0)),
                           ([d.baseline for d in view.dimensions], GREY)):
        if all(v is not None for v in values):
            pdf.set_draw_color(*colour)
            pdf.set_line_width(0.4)
            pdf.set_dash_pattern(dash=1.5, gap=1)
            pdf.polygon([(cx + radius * v / scoring.MAX_LEVEL * math.cos(a), cy + radius * v / scoring.MAX_LEVEL
                          * math.sin(a)) for v, a in zip(values, angle, strict=True)])
            pdf.set_dash_pattern()
    pdf.set_font("Helvetica", size=7.5)
    for d, a in zip(view.dimensions, angle, strict=True):
        x, y = cx + (radius + 4) * math.cos(a), cy + (radius + 4) * math.sin(a)
        label = plain(d.name)
        width = pdf.get_string_width(label)
        pdf.text(x - width / 2 if abs(math.cos(a)) < .3 else (x if math.cos(a) > 0 else x - width), y + 1, label)


def _bars(pdf: _Report, view: ResultView):
    left, width = pdf.l_margin + 62, 90
    for d in view.dimensions:
        y = pdf.get_y()
        pdf.set_font("Helvetica", size=9)
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(60, 6, plain(d.name))
        pdf.set_fill_color(236, 240, 243)
        pdf.rect(left, y + 1, width, 4, style="F")
        if d.team.mean is not None:
            pdf.set_fill_color(*BRAND)
            pdf.rect(left, y + 1, width * d.team.mean / scoring.MAX_LEVEL, 4, style="F")
        if d.team.low is not None and d.team.spread:
            pdf.set_draw_color(180, 90, 0)
            pdf.set_line_width(0.5)
            lo, hi = (left + width * v / scoring.MAX_LEVEL for v in (d.team.low, d.team.high))
            pdf.line(lo, y + 3, hi, y + 3)
        pdf.set_xy(left + width + 3, y)
        extra = f"  ({_('spread')} {d.team.spread:.1f})" if d.team.spread is not None else ""
        pdf.cell(0, 6, plain(f"{d.team.mean:.1f}{extra}" if d.team.mean is not None else _("no answer")))
        pdf.set_xy(pdf.l_margin, y + 7)


def build_pdf(view: ResultView, paths: dict, questionnaire, *, locale: str, now) -> bytes:
    assessment = view.assessment
    company = assessment.organisation
    pdf = _Report(_("Officina 4.0 - digital-maturity self-assessment - %(date)s", date=format_date(now, "long")))
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.set_text_color(*BRAND)
    pdf.multi_cell(0, 9, plain(_("Digital maturity of %(company)s", company=company.name)), new_x=XPos.LMARGIN,
                   new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)
    pdf.para(_("Version %(v)d, round %(r)d.", v=assessment.version, r=assessment.round) + " "
             + ngettext("%(num)d person answered", "%(num)d people answered", view.result.respondents) + ".", size=9)

    if view.stage is not None:
        pdf.heading(_("Stage %(n)d of 5: %(name)s", n=view.stage.level, name=view.stage.name.for_locale(locale)))
        pdf.para(view.stage.description.for_locale(locale))
        pdf.para(_("Average level %(score)s out of 5.", score=f"{view.result.overall:.1f}"), style="B")
    y = pdf.get_y() + 8
    _radar(pdf, view, cx=105, cy=y + 34, radius=30)
    pdf.set_y(y + 74)
    pdf.heading(_("Level per dimension"))
    _bars(pdf, view)

    pdf.heading(_("Strengths"))
    for d in view.strengths:
        pdf.para(f"- {d.name}: {d.team.mean:.1f}")
    pdf.heading(_("Priorities and the path that addresses them"))
    for d in view.priorities:
        score = f"{d.team.mean:.1f}" if d.team.mean is not None else _("nobody knew")
        pdf.para(f"{d.name} ({score})", style="B")
        pdf.para(d.dimension.advice.for_locale(locale), size=9)
        for item in paths.get(d.dimension.slug, []):
            kind = {"module": _("Module"), "quiz": _("Quiz"), "lab": _("Demo lab")}[item.kind]
            pdf.para(f"   {kind}: {item.title}", size=9)
        pdf.ln(1)

    if view.disputed or any(d.team.is_disputed for d in view.dimensions):
        pdf.heading(_("Where people disagree"))
        for d in view.dimensions:
            if d.team.is_disputed:
                pdf.para(_("%(name)s: answers range from %(low)s to %(high)s.", name=d.name,
                           low=f"{d.team.low:.1f}", high=f"{d.team.high:.1f}"), size=9)
        for text, low, high in view.disputed[:5]:
            pdf.para(f"- {text} ({low}-{high})", size=9)

    if view.baseline is not None:
        pdf.heading(_("Change since the previous round"))
        for d in view.dimensions:
            if d.change is not None:
                pdf.para(f"{d.name}: {d.baseline:.1f} -> {d.team.mean:.1f} ({d.change:+.1f})", size=9)
    pdf.heading(_("Compared with similar firms"))
    if view.benchmark:
        for d in view.dimensions:
            if d.peers is not None:
                pdf.para(_("%(name)s: similar firms average %(mean)s (middle half %(q1)s-%(q3)s)", name=d.name,
                           mean=f"{d.peers.mean:.1f}", q1=f"{d.peers.q1:.1f}", q3=f"{d.peers.q3:.1f}"), size=9)
    else:
        pdf.para(_("Not enough firms of the same size and sector yet: a comparison is shown from %(n)d firms on, "
                   "to keep every firm anonymous.", n=scoring.BENCHMARK_MINIMUM), size=9)
    pdf.heading(_("About this assessment"), size=11)
    pdf.para(_("Self-assessment written by the Officina 4.0 trainers, inspired by acatech's Industrie 4.0 Maturity "
               "Index, the Smart Industry Readiness Index (SIRI) and SELFI4.0. Levels 0 to 5; \"don't know\" answers "
               "are left out of the averages."), size=8)
    return bytes(pdf.output())
