"""Reading a capture line by line, deciding each line's format by evidence.

Every line is tried as a row of the known formats (the format of the part
being read first), then as a header or trailer of one, then as a line every
capture has around its tables (prompts and commands, comments, banners,
timestamps, other `ip` output: parse/lines.py). Recognised lines are skipped
and counted in one note; a line that has a row's shape but cannot be read is
an error naming file and line (a warning with ``lenient``), and so is a line
that is nothing recognisable. A JSON array anywhere is read as `ip -j` output.

A capture may hold several outputs (`arp` then `arp -a`, two hosts under
`==> x <==` banners): a change of format, a command line or a banner starts
a new *part*. A part is a listing, passed through as it is read, unless it
is `ip monitor` output (event words, timestamps, `[NEIGH]` labels, or an
entry listed twice within the first LOOKAHEAD rows): then it is replayed as
events and yields the table they leave behind.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

from neighctl.errors import ParseError, UsageError
from neighctl.model import AF_INET, NO_FLAGS, Neighbor, fast_neighbor
from neighctl.parse.arp import LinuxArp
from neighctl.parse.base import DEL, NEW, Context, LineErrors, NotAnEntry, Record, RowFormat, Warn
from neighctl.parse.brief import IpBrief
from neighctl.parse.bsd import BsdArp, Ndp
from neighctl.parse.ipjson import read_json, starts_json
from neighctl.parse.iptext import COMMON_LINES, STATE_MEMBERS, IpText, ages
from neighctl.parse.lines import (
    BANNER,
    COMMAND,
    HEADER,
    NEIGH_LABEL,
    OTHER,
    QUOTE_PREFIX,
    QUOTED,
    SESSION,
    TIMESTAMP,
    clean,
    looks_like_row,
    monitor_prefixes,
    noise_kind,
)
from neighctl.parse.proc import ProcNetArp
from neighctl.parse.stream import TextStream
from neighctl.parse.windows import WindowsArp

# Auto-detection order: most specific shapes first, `ip -br`'s bare columns last.
ROW_FORMATS: dict[str, RowFormat] = {
    "ip": IpText(),
    "arp": LinuxArp(),
    "bsd-arp": BsdArp(),
    "ndp": Ndp(),
    "windows-arp": WindowsArp(),
    "proc": ProcNetArp(),
    "ip-brief": IpBrief(),
}
FORMATS = ("auto", "ip", "ip-monitor", "ip-json", *list(ROW_FORMATS)[1:])
LOOKAHEAD = 4096
MAX_LINE = 1 << 16
Note = Callable[[str], None]


class _Parts:
    """The entries of each part: listings pass through, `ip monitor` parts become tables."""

    def __init__(self, monitor: bool, note: Note | None, raw: bool = False) -> None:
        self.forced = monitor
        self.note = note
        self.raw = raw
        self.out: list[Neighbor] = []
        self.records: list[Record] = []
        self._reset()

    def _reset(self) -> None:
        self.mode = "table" if self.forced else ""
        self.buffer: list[Record] = []
        self.keys: set[tuple[str, str, int]] = set()
        self.table: dict[tuple[str, str, int], Neighbor] = {}
        self.late = False

    def evidence(self) -> None:
        """This part is `ip monitor` output."""
        if not self.mode:
            self._to_table()
        elif self.mode == "stream" and not self.late:
            self._late()

    def _late(self) -> None:
        self.late = True
        if self.note is not None:
            self.note(
                f"`ip monitor` events after the first {LOOKAHEAD} rows of a listing are read "
                "as rows; --input-format ip-monitor replays them as events"
            )

    def add(self, event: str, n: Neighbor) -> None:
        if self.raw:
            self.records.append((event, n))
            return
        mode = self.mode
        if mode == "stream":
            if event != NEW and not self.late:
                self._late()
            if event != DEL:
                self.out.append(n)
        elif mode == "table":
            key = (n.dst, n.dev, int(n.flags) & 8)
            self.table.pop(key, None)  # a changed entry moves to the end, as in a fresh dump
            if event != DEL:
                self.table[key] = n
        else:
            key = (n.dst, n.dev, int(n.flags) & 8)
            self.buffer.append((event, n))
            if event != NEW or key in self.keys:
                self._to_table()
            elif len(self.buffer) >= LOOKAHEAD:
                self.mode = "stream"
                self.out.extend(entry for _, entry in self.buffer)
                self.buffer = []
                self.keys = set()
            else:
                self.keys.add(key)

    def extend(self, entries: list[Neighbor]) -> None:
        """Rows of a listing's common shape (all "new")."""
        if self.mode == "stream" and not self.raw:
            self.out.extend(entries)
        else:
            for n in entries:
                self.add(NEW, n)

    def _to_table(self) -> None:
        self.mode = "table"
        buffered, self.buffer = self.buffer, []
        for event, n in buffered:
            self.add(event, n)

    def end_part(self) -> None:
        if self.mode == "table":
            self.out.extend(self.table.values())
        else:
            self.out.extend(n for _, n in self.buffer)
        self._reset()

    def drain(self) -> list[Neighbor]:
        out, self.out = self.out, []
        return out


class Reader:
    """One read of one capture; ``entries(stream)`` yields its entries in batches.

    ``fmt`` is a name from FORMATS; ``lenient`` a warning callback (bad lines
    are skipped and reported through it) or None (the first bad line raises
    ParseError); ``note`` receives the one message about skipped lines.
    """

    def __init__(
        self,
        fmt: str = "auto",
        path: str | None = None,
        lenient: Warn | None = None,
        note: Note | None = None,
        *,
        events: bool = False,
    ) -> None:
        if fmt not in FORMATS:
            raise UsageError(f"unknown input format {fmt!r}", "use one of " + ", ".join(FORMATS))
        self.fmt = fmt
        self.path = path
        self.errors = LineErrors(path, lenient)
        self.note = note
        self.noise: Counter[str] = Counter()
        self.parts = _Parts(fmt == "ip-monitor", note, raw=events)
        if fmt == "auto":
            self.formats = list(ROW_FORMATS.values())
        elif fmt in ("ip", "ip-monitor"):
            self.formats = [ROW_FORMATS["ip"]]
        elif fmt == "ip-json":
            self.formats = []
        else:
            self.formats = [ROW_FORMATS[fmt]]
        self.others = [f for f in ROW_FORMATS.values() if f not in self.formats]
        self.fast = fmt in ("auto", "ip", "ip-monitor")
        self.json_ok = fmt in ("auto", "ip-json")
        self.order = self.formats
        self.part_format: str | None = None
        self.ctx: Context = {}
        self.boundary = False
        self.after_other = False
        self.pending = ""
        self.pending_number = 0
        # A `Timestamp:` line or another object's `[LABEL]` line came before the next row.
        self.monitor_hint = False
        self.blank = True  # nothing but white space read so far

    # -- driving ---------------------------------------------------------------

    def batches(self, stream: TextStream) -> Iterator[list[Neighbor]]:
        """Entries in batches of about a block's worth of text."""
        while True:
            start = stream.line
            got = stream.next_lines()
            if got is None:
                break
            text, unfinished = got
            if self.blank and not text.isspace():
                self.blank = False
            stop = 0 if unfinished else self._chunk(text, start)
            if stop is not None:
                # JSON starts at text[stop:]: un-consume it and read it as JSON.
                if unfinished:
                    if not (self.json_ok and starts_json(text)):
                        raise ParseError(
                            f"a line longer than {len(text) // 1024} KiB: not a text table",
                            path=self.path,
                            line_number=start,
                        )
                else:
                    stream.rewind(len(text) - stop)
                yield from self._json(stream)
            batch = self.parts.drain()
            if batch:
                yield batch
        if self.pending:
            self._line("", self.pending_number)
        self.parts.end_part()
        last = self.parts.drain()
        if last:
            yield last
        self._finish()

    def records(self, stream: TextStream) -> list[Record]:
        """Every row as an (event, entry) pair, no table semantics (needs ``events=True``)."""
        for _ in self.batches(stream):
            pass
        return self.parts.records

    def _json(self, stream: TextStream) -> Iterator[list[Neighbor]]:
        self._start_part("ip-json")
        for count, n in enumerate(read_json(stream, self.errors), start=1):
            self.parts.add(NEW, n)
            if count % 4096 == 0:
                yield self.parts.drain()
        self.boundary = True

    def _finish(self) -> None:
        self.errors.finish()
        if self.blank and self.note is not None:
            self.note(f"{self.path or '<input>'}: empty: no lines to read")
        ignored = self.errors.ignored_keys
        if ignored and self.note is not None:
            keys = ", ".join(
                f"{key!r} ({n} entr{'y' if n == 1 else 'ies'})"
                for key, n in sorted(ignored.items())
            )
            self.note(f"{self.path or '<input>'}: ignored keys neighctl does not know: {keys}")
        count = sum(self.noise.values())
        if count and self.note is not None:
            kinds = ", ".join(_plural(kind, n) for kind, n in self.noise.most_common())
            where = self.path or "<input>"
            what = "lines that are not entries" if count != 1 else "line that is not an entry"
            self.note(f"{where}: skipped {count} {what}: {kinds}")

    # -- lines -----------------------------------------------------------------

    def _chunk(self, text: str, number: int) -> int | None:
        """Read whole lines; the offset where JSON starts, if it does."""
        if not self.fast or self.pending:
            return self._slow(text, 0, len(text), number)
        parts = self.parts
        build = fast_neighbor
        states = STATE_MEMBERS
        no_flags = NO_FLAGS
        age_cache: dict[str, tuple[float, float, float]] = {}
        counted = 0
        pos = 0
        entries: list[Neighbor] = []
        append = entries.append
        check = True
        for m in COMMON_LINES.finditer(text):
            start = m.start()
            if start != pos or check:
                if entries:
                    parts.extend(entries)
                    entries.clear()
                if start != pos:
                    number += text.count("\n", counted, pos)
                    counted = pos
                    stop = self._slow(text, pos, start, number)
                    if stop is not None:
                        return stop
                    number += text.count("\n", pos, start)
                    counted = start
                    if self.pending:
                        return self._slow(text, start, len(text), number)
                if self.part_format != "ip" or self.boundary:
                    self._start_part("ip")
                if self.monitor_hint:
                    self.monitor_hint = False
                    parts.evidence()
                self.after_other = False
                check = False
            pos = m.end()
            dst, _, dev, lladdr, ref, age_text, probes, state = m.groups()
            if dst is None:  # IPv6: canonical spelling and validation first
                parts.extend(entries)
                entries.clear()
                number += text.count("\n", counted, start)
                counted = start
                stop = self._slow(text, start, pos, number)
                if stop is not None:
                    return stop
                check = True
                continue
            if age_text is None:
                append(build(
                    AF_INET, dst, dev, states[state], no_flags, lladdr, None,
                    None, None, None, None, None, None,
                ))  # fmt: skip
            else:
                used, confirmed, updated = age_cache.get(age_text) or ages(age_text, age_cache)
                append(build(
                    AF_INET, dst, dev, states[state], no_flags, lladdr, None,
                    int(ref) if ref else 0, used, confirmed, updated, int(probes), None,
                ))  # fmt: skip
        if entries:
            parts.extend(entries)
        if pos < len(text):
            number += text.count("\n", counted, pos)
            return self._slow(text, pos, len(text), number)
        return None

    def _slow(self, text: str, start: int, end: int, number: int) -> int | None:
        """Lines of text[start:end] one by one; the offset where JSON starts, if it does."""
        offset = start
        for raw in text[start:end].split("\n"):
            if offset >= end:
                break
            if self._line(raw, number):
                return offset
            offset += len(raw) + 1
            number += 1
        return None

    def _line(self, raw: str, number: int) -> bool:
        """Handle one line; True if a JSON document starts on it."""
        if self.pending:
            raw = self.pending + " " + raw.lstrip()
            number = self.pending_number
            self.pending = ""
        line = clean(raw)
        if line.endswith("\\"):  # a continued line (old iproute2, `ip -o`)
            self.pending = line[:-1].rstrip()
            self.pending_number = number
            return False
        body = line.lstrip()
        if not body:
            self.after_other = False
            return False
        first = body[0]
        if first in "[{" and self.json_ok and starts_json(body):
            return True
        if len(line) > MAX_LINE:
            self.errors.bad(number, line[:80] + "...", "a line too long to be a table row")
            return False
        quoted = False
        if first == ">":
            body = line = QUOTE_PREFIX.sub("", body, count=1)
            quoted = True
            if not body:
                return False
            first = body[0]
        evidence = False
        if first == "[":
            body, label, stamped = monitor_prefixes(body)
            if label is not None and label != NEIGH_LABEL:
                self._skip(OTHER)
                self.after_other = True
                self.monitor_hint = True
                return False
            evidence = stamped or label is not None
        self._row(line, body, number, evidence, quoted)
        return False

    def _row(self, line: str, body: str, number: int, evidence: bool, quoted: bool) -> None:
        shaped: NotAnEntry | None = None
        for fmt in self.order:
            try:
                record = fmt.row(body, self.ctx)
            except NotAnEntry as exc:
                shaped = shaped or exc
                continue
            if record is not None:
                self._accept(fmt.name, record, evidence)
                return
        for fmt in self.formats:
            kind = fmt.marker(body, self.ctx)
            if kind is not None:
                self._skip(kind)
                if kind == HEADER:
                    self.boundary = True
                    self._prefer(fmt.name)
                return
        kind = noise_kind(line, self.after_other)
        if kind is not None:
            self._skip(kind)
            if kind in (COMMAND, BANNER, SESSION):
                self.boundary = True
                self.ctx = {}
            elif kind == OTHER:
                self.after_other = True
            elif kind == TIMESTAMP:
                self.monitor_hint = True
            return
        if shaped is not None:
            self.errors.bad(number, line, f"not a neighbour entry ({shaped})")
            return
        if self.fmt != "auto":
            other = self._claimed_by_other(body)
            if other is not None:
                self.errors.bad(
                    number,
                    line,
                    f"this does not look like {self.fmt} output",
                    hint=f"it looks like {other}; try --input-format auto",
                )
                return
        if looks_like_row(body):
            self.errors.bad(
                number,
                line,
                "not a neighbour entry in any format neighctl reads",
                hint=_FORMATS_HINT,
            )
        elif quoted:
            self._skip(QUOTED)
        else:
            self.errors.bad(
                number,
                line,
                "not a table row, nor a line that comes with one (prompt, header, comment, ...)",
                hint="--lenient skips lines it does not recognise",
            )

    def _claimed_by_other(self, body: str) -> str | None:
        for fmt in self.others:
            try:
                if fmt.row(body, {}) is not None or fmt.marker(body, {}) is not None:
                    return fmt.name
            except NotAnEntry:
                return fmt.name
        if self.fmt != "ip-json" and starts_json(body):
            return "ip-json"
        return None

    def _accept(self, name: str, record: Record, evidence: bool) -> None:
        if name != self.part_format or self.boundary:
            self._start_part(name)
        self.after_other = False
        event, n = record
        if evidence or event != NEW or self.monitor_hint:
            self.monitor_hint = False
            self.parts.evidence()
        self.parts.add(event, n)

    def _start_part(self, name: str) -> None:
        self.parts.end_part()
        self.boundary = False
        if name != self.part_format:
            self.part_format = name
            self._prefer(name)

    def _prefer(self, name: str) -> None:
        """Try this format first from now on (the part's own format)."""
        first = [f for f in self.formats if f.name == name]
        self.order = first + [f for f in self.formats if f.name != name]

    def _skip(self, kind: str) -> None:
        self.noise[kind] += 1


_FORMATS_HINT = (
    "formats: ip neigh [-s], ip -j neigh, ip monitor neigh, ip -br neigh, /proc/net/arp, "
    "arp (net-tools, BusyBox, BSD, macOS, Windows), ndp -an"
)


def _plural(kind: str, count: int) -> str:
    if count == 1:
        return f"1 {kind}"
    if kind.startswith("line "):
        return f"{count} lines{kind[4:]}"
    return f"{count} {kind}s"
