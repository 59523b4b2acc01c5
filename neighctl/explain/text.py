"""The text view of explain: documents a person reads, laid out for rich.

Paragraphs wrap to the width given (the terminal's: render.terminal) by
display cells as rich measures them (CJK characters take two). Latin words
stay whole; CJK text breaks between any two characters, except before a
closing or after an opening punctuation mark. rich's own wrapping breaks only
at spaces, which leaves Chinese lines half empty, so the break offsets are
ours; rich measures the cells and, when the colour policy (render.color) says
so, writes the styles' colour codes (rich.style). Plain output needs only the
measure, so it does not load the rest of rich.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from neighctl.explain import Document, Overview, StateExplanation
from neighctl.explain import phrases as ph
from neighctl.explain.catalogue import SPECS, STATE_NAMES, state_value
from neighctl.timers import DEFAULT_TABLES, NeighParms, TableParms, defaults

if TYPE_CHECKING:
    from neighctl.explain.entry import EntryExplanation
    from neighctl.explain.words import Words

WIDTH = 79  # the layout width for 80 columns: files, pipes, tests
MIN_TEXT = 24  # narrowest column worth wrapping text into beside a label

# Runs of characters that are not wide (CJK) stay together; wide ones stand alone.
_WIDE = "\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
_WIDE += "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6"
# CJK punctuation that must not start a line stays on the line before it.
_NO_BREAK_BEFORE = frozenset("，。、；：！？）」』》")
_NO_BREAK_AFTER = frozenset("（「『《")

STATE_STYLES: dict[str, str] = {
    "REACHABLE": "green",
    "STALE": "yellow",
    "DELAY": "cyan",
    "PROBE": "cyan",
    "INCOMPLETE": "magenta",
    "FAILED": "bold red",
    "PERMANENT": "blue",
    "NOARP": "dim",
    "NONE": "dim",
}
LABEL_STYLE = "bold"
CODE_STYLE = "cyan"


@cache
def _token() -> re.Pattern[str]:
    return re.compile(rf"[^\s{_WIDE}]+| |[{_WIDE}]")


@cache
def _highlights() -> re.Pattern[str]:
    """State names and `code` spans, the parts of a text that get a style."""
    return re.compile(r"\b(?:" + "|".join(STATE_STYLES) + r")\b|`[^`]+`")


def cells(text: str) -> int:
    """Display columns of ``text`` (rich's measure: East Asian wide characters take two)."""
    if text.isascii():
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


class Line(NamedTuple):
    """One output line: ``prefix`` (a label, an indent, a hand-laid line) and the slice
    ``start:end`` of paragraph ``para`` (-1: none)."""

    prefix: str
    style: str = ""
    para: int = -1
    start: int = 0
    end: int = 0


class Layout:
    """Lines of a document, built paragraph by paragraph at one width."""

    def __init__(self, words: Words, width: int) -> None:
        self.words = words
        self.width = width
        self.lines: list[Line] = []
        self.paras: list[str] = []
        self.label = max(cells(v) for v in words.LABELS.values()) + 3

    def blank(self) -> None:
        self.lines.append(Line(""))

    def raw(self, plain: str, style: str = "") -> None:
        """Lines laid out by hand (the diagram, the entry's ip line): never wrapped."""
        self.lines.extend(Line(line, style) for line in plain.splitlines())

    def para(self, body: str, indent: int = 0, first: str = "", first_style: str = "") -> None:
        """``body`` wrapped at the width, after ``first`` and then ``indent`` columns."""
        plain = " ".join(body.split())
        self.paras.append(plain)
        index = len(self.paras) - 1
        prefix = first + " " * max(indent - cells(first), 0)
        style = first_style if first else ""
        col = cells(prefix)
        line: list[tuple[int, int, int]] = []  # start, end, columns (a space before included)
        for match in _token().finditer(plain):
            token = match.group()
            if token == " ":
                continue
            size = cells(token) + (1 if line and plain[match.start() - 1] == " " else 0)
            # Keep two columns spare so that a closing punctuation mark can follow.
            limit = self.width if token in _NO_BREAK_BEFORE else self.width - 2
            if token in _NO_BREAK_AFTER:  # an opening bracket needs its next character
                limit -= 2
            if line and col + size > limit:
                carry: list[tuple[int, int, int]] = []
                # A closing mark takes the character before it along; an opening one
                # goes with what follows it.
                while len(line) > 1 and (
                    (token in _NO_BREAK_BEFORE and not carry)
                    or plain[line[-1][0]] in _NO_BREAK_AFTER
                    or (carry and plain[carry[0][0]] in _NO_BREAK_BEFORE)
                ):
                    carry.insert(0, line.pop())
                if carry:  # the carried run starts the line: no space before it
                    carry[0] = (carry[0][0], carry[0][1], cells(plain[carry[0][0] : carry[0][1]]))
                    if indent + sum(c for _, _, c in carry) + size > self.width:
                        line += carry  # carried along, it would not fit either: break here
                        carry = []
                self.lines.append(Line(prefix, style, index, line[0][0], line[-1][1]))
                prefix, style, line = " " * indent, "", carry
                col = indent + sum(c for _, _, c in carry)
                if not carry:
                    size = cells(token)
            line.append((match.start(), match.end(), size))
            col += size
        if line:
            self.lines.append(Line(prefix, style, index, line[0][0], line[-1][1]))
        else:
            self.lines.append(Line(prefix.rstrip(), style))

    def field(self, label: str, body: str, lead: str = "") -> None:
        """A labelled paragraph: ``Label     body`` with continuation lines under body."""
        first = label + " " * max(self.label - cells(label), 1) + lead
        self.para(body, self.label + cells(lead), first, LABEL_STYLE)

    # --- output -------------------------------------------------------------------

    def plain(self) -> str:
        out = []
        for line in self.lines:
            body = self.paras[line.para][line.start : line.end] if line.para >= 0 else ""
            out.append((line.prefix + body).rstrip() + "\n")
        return "".join(out)

    def coloured(self) -> str:
        """The lines with colour codes: labels bold, state names in their colours, `code`.

        rich's Style writes the codes; a Console would add 20-30 ms of start-up to
        lines that are laid out already.
        """
        from rich.color import ColorSystem
        from rich.style import Style

        styles: dict[str, Style] = {}

        def paint(text: str, style: str) -> str:
            if not style or not text:
                return text
            if style not in styles:
                styles[style] = Style.parse(style)
            return styles[style].render(text, color_system=ColorSystem.STANDARD)

        def highlighted(plain: str, start: int, end: int, spans: list[Span]) -> str:
            out, at = [], start
            for a, b, style in spans:
                if a < end and b > start:
                    out.append(plain[at : max(a, start)])
                    out.append(paint(plain[max(a, start) : min(b, end)], style))
                    at = min(b, end)
            out.append(plain[at:end])
            return "".join(out)

        spans: dict[int, list[Span]] = {}
        lines = []
        for line in self.lines:
            label = line.prefix.rstrip()
            pad = line.prefix[len(label) :] if line.para >= 0 else ""
            if line.style:
                head = paint(label, line.style)
            else:
                head = highlighted(label, 0, len(label), _spans(label))
            body = ""
            if line.para >= 0:
                plain = self.paras[line.para]
                if line.para not in spans:
                    spans[line.para] = _spans(plain)
                body = highlighted(plain, line.start, line.end, spans[line.para])
            lines.append(head + pad + body + "\n")
        return "".join(lines)

    # --- the documents ----------------------------------------------------------

    def overview(self) -> None:
        w = self.words
        self.para(w.MSG["overview_title"], first_style=LABEL_STYLE)
        self.blank()
        for name in STATE_NAMES:
            head = f"{name:<11}0x{state_value(name):02x}  "
            self.para(w.TEXT[name]["summary"], cells(head), head)
        self.blank()
        self.raw(w.DIAGRAM.rstrip("\n"))

    def state(self, doc: StateExplanation) -> None:
        w, labels = self.words, self.words.LABELS
        text, spec = w.TEXT[doc.state], SPECS[doc.state]
        title = f"{doc.state} (0x{state_value(doc.state):02x}): "
        self.para(text["summary"], cells(title), title, LABEL_STYLE)
        self.blank()
        for p, table in doc.timers:
            self.para(ph.headline(doc.state, p, table, w))
        self.blank()
        self.field(labels["meaning"], text["meaning"])
        self.field(labels["entry"], text["entry"])
        for i, tr in enumerate(spec.transitions):
            to = tr.to or w.MSG["deleted"]
            trigger = text["transitions"][tr.key]
            if tr.timer:
                when = ph.when_text(tr.timer, doc.timers, w)
                body = w.MSG["leave_timed"].format(to=to, when=when, trigger=trigger)
            else:
                body = w.MSG["leave"].format(to=to, trigger=trigger)
            self.field(labels["leaves"] if i == 0 else "", body, "-> ")
        self.field(labels["traffic"], text["traffic"])
        self.field(labels["gc"], text["gc"])
        if spec.params:
            self.blank()
            self.raw(labels["timers"], LABEL_STYLE)
            for p, table in doc.timers:
                if doc.live:
                    self.raw(w.MSG["where_head"].format(where=ph.where(p, w)))
                self.params(spec.params, p, table)
                if doc.live:
                    self.para(ph.differences_text(p, w), 2)
            if not doc.live:
                self.para(w.MSG["defaults_note"])
            for table in ph.tables_of(doc.timers):
                self.para(ph.table_text(table, w))
        self.blank()
        for i, advice in enumerate(text["advice"]):
            self.field(labels["advice"] if i == 0 else "", advice, "- ")

    def params(self, names: tuple[str, ...], p: NeighParms, table: TableParms) -> None:
        """`name  value  what it does`, marking values that differ from the defaults."""
        default, default_table = defaults(p.family), DEFAULT_TABLES[p.family]
        for name in names:
            value = ph.param_value(name, p, table)
            mark = "*" if value != ph.param_value(name, default, default_table) else " "
            shown = ph.format_param(name, value, self.words)
            head = f"  {name:<23}{mark}" + " " * max(9 - cells(shown), 0) + shown + "  "
            if self.width - cells(head) >= MIN_TEXT:
                self.para(self.words.PARAMS[name], cells(head), head)
            else:  # too narrow for a column beside the values: the meaning goes below
                self.raw(head.rstrip())
                self.para(self.words.PARAMS[name], 6)

    def entry(self, e: EntryExplanation) -> None:
        from neighctl.render.ip import ip_line

        w, labels = self.words, self.words.LABELS
        self.raw(ip_line(e.entry).rstrip(), LABEL_STYLE)
        states = "" if e.proxy is not None else "+".join(e.states) + ": "
        self.field(labels["state"], states + ph.summary_text(e, w))
        self.field(labels["ages"], ph.ages_text(e.ages, w))
        for i, step in enumerate(e.next):
            self.field(labels["next"] if i == 0 else "", ph.step_text(step, w))
        flags = [(n.word, ph.flag_text(n, w, e.entry.dev)) for n in e.flags]
        for i, (word, meaning) in enumerate((k, v) for k, v in flags if v):
            self.field(labels["flags"] if i == 0 else "", f"{word}: {meaning}")
        if e.proxy is not None:
            self.field(labels["answers"], ph.proxy_text(e.proxy, w))
        for i, pattern in enumerate(e.patterns):
            self.field(labels["pattern"] if i == 0 else "", ph.pattern_text(pattern, w))
        for note in e.notes:
            self.field(labels["note"], w.MSG[note])


Span = tuple[int, int, str]  # start, end, style


def _spans(plain: str) -> list[Span]:
    """Where the state names and `code` of a text are, and their styles (no overlaps)."""
    return [
        (m.start(), m.end(), CODE_STYLE if m.group()[0] == "`" else STATE_STYLES[m.group()])
        for m in _highlights().finditer(plain)
    ]


def render(
    doc: Document,
    words: Words,
    *,
    width: int = WIDTH,
    color: bool = False,
    encoding: str | None = None,
) -> str:
    """The document as text ``width`` columns wide, for a stream in ``encoding``.

    Raises UsageError when the encoding cannot carry the language's characters
    (punctuation falls back to ASCII; see render.terminal.fit_encoding).
    """
    from neighctl.render.terminal import GENERIC_HINT, fit_encoding

    layout = Layout(words, width)
    if isinstance(doc, Overview):
        layout.overview()
    elif isinstance(doc, StateExplanation):
        layout.state(doc)
    else:
        for i, e in enumerate(doc):
            if i:
                layout.blank()
            layout.entry(e)
    out = layout.coloured() if color else layout.plain()
    return fit_encoding(out, encoding, GENERIC_HINT + ", or --lang en")
