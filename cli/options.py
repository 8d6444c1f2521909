"""Options shared by the commands that read a pattern (``nest``, ``nest info``).

:func:`import_options` adds the import options (units, tolerance, strict, repair and the
hairline-loop rule, fold pieces, text encoding, grade rules) and the job options (``--sizes``, ``--quantity``)
to a click command; :func:`load` reads the pattern with them.
"""

from __future__ import annotations

import click

__all__ = ["import_options", "load", "encoding_option"]


def encoding_option(ctx, param, value: str | None) -> str | None:
    """Click callback of ``--encoding``: the codec name, or a usage error naming the option."""
    if value is None:
        return None
    from kitcut.errors import InputError
    from kitcut.formats.reading.encoding import check_encoding

    try:
        return check_encoding(value)
    except InputError as exc:
        raise click.BadParameter(exc.message.split(": ", 1)[-1], ctx=ctx, param=param) from None


_OPTIONS = [
    click.option("--units", help="Units of a DXF that does not say (mm, cm, m, in, ft, metric, english)."),
    click.option("--tolerance", type=float, default=0.1, show_default=True,
                 help="Curve chord tolerance and largest cut-line gap closed (mm)."),
    click.option("--strict", is_flag=True, help="Treat every import repair as an error."),
    click.option("--repair", is_flag=True,
                 help="Repair every self-intersecting outline (keep its largest part)."),
    click.option("--max-loop-mm2", type=click.FloatRange(min=0), default=500.0, show_default=True,
                 help="Largest self-intersection loop (mm²) removed without --repair (0: none)."),
    click.option("--max-loop-pct", type=click.FloatRange(min=0, max=100), default=0.5, show_default=True,
                 help="... and at most this share of the piece's area (%)."),
    click.option("--keep-folded", is_flag=True, help="Keep fold pieces as halves (cut on a folded spread)."),
    click.option("--encoding", callback=encoding_option, metavar="NAME",
                 help="Text encoding of the DXF's names (gbk, big5, cp932, utf-8, cp1252...; "
                      "default: declared, else detected)."),
    click.option("--rules", "rules_file", type=click.Path(dir_okay=False), metavar="FILE",
                 help="Grade rule table (.RUL) of an AAMA/ASTM pattern: the sizes it lists that the DXF "
                      "does not draw are graded from the sample size. Default: a .rul beside the pattern "
                      "with the same name, if any."),
    click.option("--no-rules", is_flag=True, help="Do not look for a .rul beside the pattern."),
    click.option("--sizes", "sizes_text", metavar="M,L|S=2,M=3",
                 help="Sizes to cut: one garment each (M,L) or garments per size (S=2,M=3). "
                      "Default: every size once."),
    click.option("--quantity", "quantity_texts", multiple=True, metavar="NAME=N",
                 help="Pieces per garment: NAME is a piece name or category (whatever the file says), "
                      "or * for pieces whose file says 0 or nothing; N or a,b (a as drawn, b mirrored). "
                      "Repeatable."),
]


def import_options(fn):
    """Decorate a click command with the import and job options (see the module docstring)."""
    for opt in reversed(_OPTIONS):
        fn = opt(fn)
    return fn


def load(file, *, units, tolerance, strict, repair, max_loop_mm2, max_loop_pct, keep_folded, encoding,
         sizes_text, quantity_texts, rules_file=None, no_rules=False, pairs: bool = True):
    """The pattern of ``file`` as the import and job options ask."""
    from kitcut.errors import InputError
    from kitcut.formats.reading.outline import LoopRule
    from kitcut.kits.quantities import load_pattern, parse_quantities, parse_sizes

    if rules_file and no_rules:
        raise InputError("--rules and --no-rules contradict each other: give one")
    return load_pattern(
        file, sizes=parse_sizes(sizes_text), quantities=parse_quantities(quantity_texts), pairs=pairs,
        units=units, tolerance=tolerance, strict=strict, unfold=not keep_folded, repair=repair,
        loops=LoopRule(max_loop_mm2, max_loop_pct), encoding=encoding,
        rules=False if no_rules else (rules_file or None),
    )
