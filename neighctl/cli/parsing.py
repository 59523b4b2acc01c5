"""How every command line is read: one-line usage errors and iproute2's spellings.

typer (click) prints a multi-line usage block for a bad command line; the
contract is one line, ``neighctl: error: missing option --dev (see neighctl
del --help)``, exit 2. ``NeighctlGroup`` and ``NeighctlCommand`` turn every
click usage error (unknown command or option, missing or bad value, extra
argument) into that line, for every command at once.

``NeighctlCommand`` also accepts iproute2's spellings where they cannot be
ambiguous (no address, state or device option is spelled like a keyword):
``dev DEV``, ``nud STATE``, ``to PREFIX``, ``proxy``, ``lladdr MAC``,
``router``, ``extern_learn``, ``all`` (flush) and ``-j``. They are rewritten
to the long options before click parses, only for commands that have the
option they stand for. ``hoist`` moves the options iproute2 takes before the
object (``ip -n NS -j neigh show``) after the command name.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import IO, Any

from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

try:  # typer >= 0.28 carries its own copy of click
    from typer._click import exceptions as click
except ImportError:  # pragma: no cover - older typer depends on click itself
    from click import exceptions as click  # type: ignore[import-not-found, no-redef, unused-ignore]

from neighctl.errors import ExitCode, closest

# iproute2 keyword -> the long option it stands for (first one the command has).
# "to" and "lladdr" stand for the command's positional argument of that name.
KEYWORDS: dict[str, tuple[str, ...]] = {
    "dev": ("--dev",),
    "nud": ("--state", "--nud"),
    "proxy": ("--proxy",),
    "router": ("--router",),
    "extern_learn": ("--extern-learn",),
    "all": ("--all",),  # `ip neigh flush all`
}
# iproute2's options that come before the object (`ip -n NS -j neigh show`), each
# with whether it takes a value; ROOT_OPTIONS are neighctl's own, left in front.
LEADING: dict[str, bool] = {
    "-n": True,
    "--netns": True,
    "-j": False,
    "-s": False,
    "--stats": False,
    "-4": False,
    "-6": False,
}
ROOT_OPTIONS = ("--debug",)
POSITIONAL_KEYWORDS: dict[str, str] = {"to": "target", "lladdr": "lladdr"}


class OneLineUsageError(click.UsageError):
    """A usage error shown as one line; exit 2."""

    exit_code = int(ExitCode.USAGE)

    def show(self, file: IO[Any] | None = None) -> None:
        from neighctl.cli.common import one_line

        (file or sys.stderr).write(f"neighctl: error: {one_line(self.message)}\n")


def _opts(param: Any) -> list[str]:
    return [*getattr(param, "opts", []), *getattr(param, "secondary_opts", [])]


def _long(param: Any) -> str:
    """The name messages use for an option: its longest spelling (``--dev``)."""
    names = _opts(param)
    return max(names, key=len) if names else str(param.human_readable_name)


def _option_names(ctx: Any) -> list[str]:
    if ctx is None:
        return []
    names: list[str] = []
    for param in ctx.command.get_params(ctx):
        if isinstance(param, TyperOption) and not param.hidden:
            names += _opts(param)
    return names


def _see(ctx: Any) -> str:
    path = ctx.command_path if ctx is not None else "neighctl"
    return f"see {path} --help"


def usage_message(exc: Any) -> str:
    """One line for a click usage error, ending with where to read more."""
    ctx = getattr(exc, "ctx", None)
    message = str(exc.message).strip().rstrip(".")
    if isinstance(exc, click.MissingParameter) and exc.param is not None:
        param = exc.param
        if isinstance(param, TyperOption):
            text = f"missing option {_long(param)}"
        else:
            text = f"missing argument {param.make_metavar(ctx) if ctx else param.name}"
            text = text.replace("{", "").replace("}", "")
        return f"{text} ({_see(ctx)})"
    if isinstance(exc, click.NoSuchOption):
        name = exc.option_name
        names = {n.lstrip("-"): n for n in _option_names(ctx)}
        close = closest(name.lstrip("-"), names)
        mean = f"did you mean {names[close]}? " if close else ""
        return f"unknown option {name} ({mean}{_see(ctx)})"
    if isinstance(exc, click.BadOptionUsage) and "requires an argument" in message:
        return f"option {exc.option_name} needs a value ({_see(ctx)})"
    if isinstance(exc, click.BadParameter):
        bad = exc.param
        hint = _long(bad) if bad is not None else str(exc.param_hint or "a value")
        if isinstance(bad, TyperArgument):
            hint = str(bad.human_readable_name).strip("{}")
        return f"invalid value for {hint}: {message} ({_see(ctx)})"
    if message.startswith("Got unexpected extra argument"):
        extra = message[message.rfind("(", 0, message.rfind(")")) + 1 : message.rfind(")")]
        return f"unexpected argument {extra!r} ({_see(ctx)})"
    return f"{message[:1].lower()}{message[1:]} ({_see(ctx)})"


def _one_line(exc: Any, ctx: Any = None) -> OneLineUsageError:
    if getattr(exc, "ctx", None) is None:
        exc.ctx = ctx
    return OneLineUsageError(usage_message(exc), exc.ctx)


class NeighctlGroup(TyperGroup):
    """The top level: unknown commands with "did you mean", usage errors as one line."""

    def make_context(
        self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any
    ) -> Any:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.NoArgsIsHelpError:
            raise
        except OneLineUsageError:
            raise
        except click.UsageError as exc:
            raise _one_line(exc) from None

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            known = list(self.list_commands(ctx))
            close = closest(name, known, cutoff=0.5)
            mean = f"did you mean {close}? " if close else ""
            raise OneLineUsageError(
                f"unknown command {name!r} ({mean}commands: {', '.join(known)})", ctx
            )
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except OneLineUsageError:
            raise
        except click.UsageError as exc:
            raise _one_line(exc) from None


class NeighctlCommand(TyperCommand):
    """A command that reads iproute2's spellings and reports usage errors as one line."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, translate(self, ctx, args))
        except OneLineUsageError:
            raise
        except click.UsageError as exc:
            raise _one_line(exc, ctx) from None


def translate(command: Any, ctx: Any, args: list[str]) -> list[str]:
    """Rewrite iproute2 spellings to this command's long options (see the module doc).

    Option values are copied untouched (``--dev dev`` names a device called
    "dev"), and nothing after ``--`` is rewritten.
    """
    takes_value: set[str] = set()
    flags: set[str] = set()
    output_choices: list[str] = []
    positional: set[str] = set()
    single: dict[str, str] = {}  # each spelling of an option that takes one value -> its name
    for param in command.get_params(ctx):
        if isinstance(param, TyperOption):
            (flags if param.is_flag or getattr(param, "count", False) else takes_value).update(
                _opts(param)
            )
            if not (param.is_flag or param.multiple or getattr(param, "count", False)):
                single.update(dict.fromkeys(_opts(param), _long(param)))
            if "-o" in param.opts:
                output_choices = list(getattr(param.type, "choices", []) or [])
        elif param.name:
            positional.add(param.name)
    has = takes_value | flags
    out: list[str] = []
    explicit_output: str | None = None
    json_short = False
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            out += args[i:]
            break
        name, eq, _ = arg.partition("=")
        if arg in takes_value or (eq and name in takes_value and arg.startswith("--")):
            if arg in ("-o", "--output") and i + 1 < len(args):
                explicit_output = args[i + 1]
            elif name == "--output" and eq:
                explicit_output = arg.partition("=")[2]
            step = 1 if eq else 2
            out += args[i : i + step]
            i += step
            continue
        if arg.startswith("-o") and len(arg) > 2 and "-o" in takes_value:
            explicit_output = arg[2:]
        if arg == "-j" and "json" in output_choices and "-j" not in has:
            json_short = True
            i += 1
            continue
        keyword = KEYWORDS.get(arg)
        option = next((o for o in keyword or () if o in has), None)
        if option is not None:
            out.append(option)
            if option in takes_value:
                if i + 1 >= len(args):
                    raise OneLineUsageError(f"{arg} needs a value ({_see(ctx)})", ctx)
                out.append(args[i + 1])
                i += 1
            i += 1
            continue
        if POSITIONAL_KEYWORDS.get(arg) in positional:
            if i + 1 >= len(args):
                raise OneLineUsageError(f"{arg} needs a value ({_see(ctx)})", ctx)
            out.append(args[i + 1])
            i += 2
            continue
        out.append(arg)
        i += 1
    if json_short:
        if explicit_output is not None and explicit_output != "json":
            raise OneLineUsageError(
                f"-j means -o json; it contradicts -o {explicit_output} ({_see(ctx)})", ctx
            )
        out += ["-o", "json"]
    _refuse_repeats(out, single, ctx)
    return out


def _refuse_repeats(args: list[str], single: dict[str, str], ctx: Any) -> None:
    """An option that takes one value, given twice with different values, is an error
    (as `ip` refuses a duplicate `dev`), not the last one silently."""
    seen: dict[str, str] = {}
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            return
        name, eq, value = arg.partition("=")
        if not (eq and name.startswith("--")):
            name, value = arg, args[i + 1] if i + 1 < len(args) else ""
            if name not in single and name[:2] in single and not name.startswith("--"):
                name, value = name[:2], name[2:]  # -ojson
            elif name in single:
                i += 1
        long = single.get(name)
        if long is not None:
            if long in seen and seen[long] != value:
                raise OneLineUsageError(
                    f"{long} given twice ({seen[long]}, {value}): give one ({_see(ctx)})", ctx
                )
            seen[long] = value
        i += 1


def hoist(argv: list[str], commands: Iterable[str]) -> list[str]:
    """``-n NS -j show ...`` as ``show -n NS -j ...``: iproute2's options before the
    object (LEADING), moved after the command they precede; anything else unchanged."""
    front: list[str] = []
    moved: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in ROOT_OPTIONS:
            front.append(arg)
            i += 1
        elif arg in LEADING:
            step = 2 if LEADING[arg] else 1
            moved += argv[i : i + step]
            i += step
        else:
            break
    if moved and i < len(argv) and argv[i] in set(commands):
        return [*front, argv[i], *moved, *argv[i + 1 :]]
    return argv
