"""Entry point of the ``nest`` command.

``nest FILE [options]`` nests a pattern (the main job); ``nest`` alone nests a bundled sample;
subcommands (``info``, ``export``, ...) do the rest. Errors a user can cause end in one line
on stderr and exit status 2, never a traceback (set ``KITCUT_DEBUG=1`` to see one).
"""

from __future__ import annotations

import os
import signal
import sys
import warnings

import click

from kitcut import __version__
from kitcut.errors import InputError, KitcutError
from kitcut.limits import limits_in_env

__all__ = ["cli", "main"]


class DefaultGroup(click.Group):
    """A group whose first argument may be a file instead of a subcommand.

    ``nest tee.dxf --time 5`` runs the ``run`` command on ``tee.dxf``; ``nest`` with no
    argument runs it on the bundled sample.
    """

    default_command = "run"

    def parse_args(self, ctx, args):
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nest")
def cli() -> None:
    """kitcut: nest garment pattern pieces into markers and write cutting-room files.

    \b
    nest PATTERN.dxf [options]   nest a pattern (see `nest run --help`)
    nest info PATTERN.dxf        list the pieces a file holds
    --limit NAME=VALUE           raise a resource limit (e.g. max_pieces=10000; see kitcut.limits)
    """


def _register() -> None:
    from kitcut.cli import commands

    for command in commands.ALL:  # --limit is taken out of argv before click (_take_limits)
        command.epilog = ("--limit NAME=VALUE, repeatable, any command: raise a resource limit (e.g. "
                          "max_pieces=10000; see kitcut.limits).")
        cli.add_command(command)


_register()


def _take_limits(argv: list[str]) -> tuple[list[str], dict]:
    """Take ``--limit NAME=VALUE`` (any command, repeatable) out of ``argv``; see kitcut.limits."""
    from kitcut.limits import parse_assignment

    rest, limits = [], {}
    it = iter(argv)
    for a in it:
        if a == "--limit":
            value = next(it, None)
            if value is None:
                raise InputError("--limit needs NAME=VALUE (e.g. --limit max_pieces=10000)")
            name, v = parse_assignment(value)
            limits[name] = v
        elif a.startswith("--limit="):
            name, v = parse_assignment(a[len("--limit="):])
            limits[name] = v
        else:
            rest.append(a)
    return rest, limits


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """kitcut's own warnings (a PDF's transliterated names...) as one ``nest: note:`` line, not
    Python's ``file:line: UserWarning:`` with its source line."""
    if issubclass(category, UserWarning) and not os.environ.get("KITCUT_DEBUG"):
        from kitcut.formats.layout.pdf_fonts import note_text

        click.echo(f"nest: note: {note_text(message)}", err=True)
    else:
        _default_showwarning(message, category, filename, lineno, file, line)


_default_showwarning = warnings.showwarning


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP (a service stopped, ``timeout``, a closed terminal): raised where the
    process is, so that what it was writing is discarded (temporary files removed, old files
    kept) as after a Ctrl-C; before, the process died on the spot and left hidden files."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _terminate(signum, frame) -> None:
    if os.getpid() != _MAIN_PID[0]:  # a forked worker: ends as by default
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    _SIGNALLED[0] = signum
    raise Terminated(signum)


_MAIN_PID = [0]
#: the signal :class:`Terminated` was raised for: raised in the middle of an import, it can come
#: out as another exception (seen once: "TypeError: expected a message argument")
_SIGNALLED = [0]


def _on_termination() -> None:
    """SIGTERM and SIGHUP raise :class:`Terminated` in this process (where no one else chose)."""
    _MAIN_PID[0] = os.getpid()
    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is not None and signal.getsignal(sig) in (signal.SIG_DFL, None):
            try:
                signal.signal(sig, _terminate)
            except ValueError:  # not the main thread
                return


def _terminated(exc: Terminated) -> None:
    name = signal.Signals(exc.signum).name
    click.echo(f"nest: terminated ({name}): no file is left half-written", err=True)
    sys.exit(128 + exc.signum)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; turn kitcut errors into a message and an exit status."""
    warnings.showwarning = _show_warning
    _on_termination()
    for stream in (sys.stdout, sys.stderr):  # a text no terminal encoding holds (mm² under a strictly
        try:  # ASCII locale, a file name that is not UTF-8) is written escaped, not an internal error
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError, OSError):  # replaced by a test, or already closed
            pass
    try:
        argv, limits = _take_limits(sys.argv[1:] if argv is None else list(argv))
        with limits_in_env(limits):  # the environment reaches worker processes too
            rc = cli.main(args=argv, prog_name="nest", standalone_mode=False)
        if isinstance(rc, int) and rc:
            sys.exit(rc)
    except KitcutError as exc:
        click.echo(f"nest: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort as exc:  # click's word for a KeyboardInterrupt
        if isinstance(exc.__cause__, Terminated):
            _terminated(exc.__cause__)
        click.echo("nest: aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2 if exc.exit_code == 2 else exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except Terminated as exc:
        _terminated(exc)
    except KeyboardInterrupt:
        click.echo("nest: interrupted", err=True)
        sys.exit(130)
    except OSError as exc:  # the file system refused (read-only or full folder, no permission)
        if os.environ.get("KITCUT_DEBUG"):
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        click.echo(f"nest: error: {where}{exc.strerror or exc}", err=True)
        sys.exit(2)
    except Exception as exc:  # a bug: say so briefly, keep the traceback for debugging
        if _SIGNALLED[0]:  # what a SIGTERM/SIGHUP became on its way out
            _terminated(Terminated(_SIGNALLED[0]))
        if os.environ.get("KITCUT_DEBUG"):
            raise
        click.echo(
            f"nest: internal error: {type(exc).__name__}: {exc} "
            "(a bug in kitcut; rerun with KITCUT_DEBUG=1 for details)",
            err=True,
        )
        sys.exit(1)
