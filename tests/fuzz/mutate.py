"""Input mutators for fuzzing: byte-level and DXF-tag-level damage, hostile DXF structures.

Every mutator is ``f(data: bytes, rng: random.Random) -> bytes`` and deterministic for a given
``rng`` state, so a failing input is reproduced from (file, mutator, seed). :data:`DXF_MUTATORS`
and :data:`ORDER_MUTATORS` list them by name. The hostile builders (:func:`insert_cycle`,
:func:`deep_nesting`, :func:`xref_block`) inject blocks into the BLOCKS section of an ASCII DXF.
"""

from __future__ import annotations

import random
import re

__all__ = ["DXF_MUTATORS", "ORDER_MUTATORS", "JSON_MUTATORS", "mutate", "tags", "untags",
           "insert_cycle", "deep_nesting", "xref_block", "big_polyline"]

_EOL = "\r\n"


def tags(data: bytes) -> list[tuple[str, str]]:
    """The (code, value) line pairs of an ASCII DXF (latin-1, stripped codes, raw values)."""
    lines = data.decode("latin-1").splitlines()
    if len(lines) % 2:
        lines.append("")
    return [(lines[i].strip(), lines[i + 1]) for i in range(0, len(lines), 2)]


def untags(pairs: list[tuple[str, str]]) -> bytes:
    return ("\n".join(f"{c}\n{v}" for c, v in pairs) + "\n").encode("latin-1", errors="replace")


def _ensure_eof(data: bytes) -> bytes:
    return data if data.rstrip().endswith(b"EOF") else data.rstrip() + b"\n  0\nEOF\n"


# --- byte level ------------------------------------------------------------------------------

def byte_flip(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        i = rng.randrange(len(b))
        b[i] ^= 1 << rng.randrange(8)
    return bytes(b)


def byte_garbage(data: bytes, rng: random.Random) -> bytes:
    i = rng.randrange(len(data))
    n = rng.choice([1, 8, 64, 4096])
    return data[:i] + rng.randbytes(n) + data[i + rng.randrange(n + 1):]


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data))]


def truncate_keep_eof(data: bytes, rng: random.Random) -> bytes:
    """Cut anywhere but end with ``0 / EOF`` (gets past the EOF check into the parsers)."""
    cut = data[: rng.randrange(len(data))]
    cut = cut[: cut.rfind(b"\n") + 1] if b"\n" in cut else b""
    return cut + b"  0\nEOF\n"


# --- tag level -------------------------------------------------------------------------------

_COORD = {"10", "20", "11", "21", "30", "40", "41", "42", "50", "70", "71", "72", "73", "66"}
_BAD_NUMBERS = ["nan", "NaN", "inf", "-inf", "1e300", "-1e300", "1e999", "1e-320", "", "abc", "0x10",
                "9" * 400, "-0", "1,5", " 12 ", "1e308", "4294967296", "-2147483649"]


def bad_numbers(data: bytes, rng: random.Random) -> bytes:
    t = tags(data)
    idx = [i for i, (c, _) in enumerate(t) if c in _COORD]
    if not idx:
        return byte_flip(data, rng)
    for i in rng.sample(idx, min(len(idx), rng.choice([1, 3, 30, 300]))):
        t[i] = (t[i][0], rng.choice(_BAD_NUMBERS))
    return untags(t)


def all_coords(data: bytes, rng: random.Random) -> bytes:
    """Every coordinate of one kind set to one hostile value (e.g. all x = 1e300)."""
    t = tags(data)
    code, value = rng.choice(["10", "20", "11"]), rng.choice(["nan", "inf", "1e300", "0", "-1e300", "1e-300"])
    return untags([(c, value if c == code else v) for c, v in t])


def swap_codes(data: bytes, rng: random.Random) -> bytes:
    t = tags(data)
    for _ in range(rng.randint(1, 30)):
        i, j = rng.randrange(len(t)), rng.randrange(len(t))
        t[i], t[j] = (t[j][0], t[i][1]), (t[i][0], t[j][1])
    return untags(t)


def retype(data: bytes, rng: random.Random) -> bytes:
    """Change group codes to other valid ones (0 <-> 8, 2 <-> 1, 10 -> 11 ...)."""
    t = tags(data)
    codes = ["0", "1", "2", "3", "5", "8", "10", "11", "20", "40", "62", "66", "70", "999", "-1", "1071"]
    for _ in range(rng.randint(1, 30)):
        i = rng.randrange(len(t))
        t[i] = (rng.choice(codes), t[i][1])
    return untags(t)


def delete_tags(data: bytes, rng: random.Random) -> bytes:
    t = tags(data)
    i = rng.randrange(len(t))
    del t[i: i + rng.choice([1, 2, 5, 50, 500])]
    return _ensure_eof(untags(t))


def duplicate_tags(data: bytes, rng: random.Random) -> bytes:
    t = tags(data)
    i = rng.randrange(len(t))
    n = rng.choice([1, 3, 20, 200])
    return untags(t[: i + n] + t[i: i + n] * rng.randint(1, 5) + t[i + n:])


def huge_text(data: bytes, rng: random.Random) -> bytes:
    t = tags(data)
    idx = [i for i, (c, _) in enumerate(t) if c in ("1", "2", "3", "8")] or [0]
    n = rng.choice([10_000, 200_000, 1_000_000])
    filler = rng.choice(["A", "%s%d{0}", "\u00e9", "Quantity: ", "../", "\x00"])
    for i in rng.sample(idx, min(3, len(idx))):
        t[i] = (t[i][0], (filler * (n // len(filler) + 1))[:n])
    return untags(t)


def odd_texts(data: bytes, rng: random.Random) -> bytes:
    """Piece / size / quantity texts replaced by hostile ones (paths, format strings, NUL)."""
    t = tags(data)
    bad = ["Piece Name: ../../x", "Piece Name: CON", "Piece Name: a/b\\c", "Piece Name: %s%n{0}{x}",
           "Quantity: -5", "Quantity: 1e9", "Quantity: 99999999999999", "Quantity: 2,x", "Size: \x00",
           "Piece Name: " + "\u0436" * 300, "Units: parsec", "Piece Name: ", "Rotation: nan",
           "Category: ${HOME}", "Piece Name: $(rm -rf /)", "Piece Name: `id`"]
    idx = [i for i, (c, v) in enumerate(t) if c == "1" and ":" in v] or [i for i, (c, _) in enumerate(t)
                                                                           if c == "1"]
    for i in rng.sample(idx, min(len(idx), rng.randint(1, 10))):
        t[i] = ("1", rng.choice(bad))
    return untags(t)


# --- hostile structures ----------------------------------------------------------------------

def _inject(data: bytes, block_pairs: list[tuple[str, str]], msp_pairs: list[tuple[str, str]]) -> bytes:
    """Put blocks at the start of BLOCKS (a BLOCKS section is made if missing) and entities at
    the start of ENTITIES."""
    t = tags(data)
    try:
        b = next(i for i in range(len(t) - 1) if t[i] == ("2", "BLOCKS") or t[i][1].strip() == "BLOCKS"
                 and t[i][0] == "2")
        t[b + 1: b + 1] = block_pairs
    except StopIteration:
        e = next((i for i in range(len(t)) if t[i][0] == "2" and t[i][1].strip() == "ENTITIES"), None)
        if e is None:
            return data
        t[e - 1: e - 1] = [("0", "SECTION"), ("2", "BLOCKS"), *block_pairs, ("0", "ENDSEC")]
    e = next((i for i in range(len(t)) if t[i][0] == "2" and t[i][1].strip() == "ENTITIES"), None)
    if e is not None:
        t[e + 1: e + 1] = msp_pairs
    return untags(t)


def _block(name: str, body: list[tuple[str, str]], flags: int = 0, xref: str | None = None):
    head = [("0", "BLOCK"), ("8", "0"), ("2", name), ("70", str(flags)), ("10", "0.0"), ("20", "0.0"),
            ("30", "0.0"), ("3", name)]
    if xref is not None:
        head.append(("1", xref))
    return head + body + [("0", "ENDBLK"), ("8", "0")]


def _insert(name: str, x: float = 0.0, y: float = 0.0, layer: str = "0"):
    return [("0", "INSERT"), ("8", layer), ("2", name), ("10", repr(x)), ("20", repr(y)), ("30", "0.0")]


def _square(layer: str = "1", size: float = 100.0):
    pts = [(0, 0), (size, 0), (size, size), (0, size)]
    out = [("0", "POLYLINE"), ("8", layer), ("66", "1"), ("10", "0.0"), ("20", "0.0"), ("30", "0.0"),
           ("70", "1")]
    for x, y in pts:
        out += [("0", "VERTEX"), ("8", layer), ("10", f"{x}.0"), ("20", f"{y}.0"), ("30", "0.0")]
    return out + [("0", "SEQEND"), ("8", layer)]


def insert_cycle(data: bytes, rng: random.Random) -> bytes:
    """A block that inserts itself (directly, or through a ring of 2-5 blocks)."""
    n = rng.choice([1, 1, 2, 5])
    names = [f"CYCLE{k}" for k in range(n)]
    blocks = []
    for k, name in enumerate(names):
        blocks += _block(name, _square() + _insert(names[(k + 1) % n], 10.0, 10.0) + [
            ("0", "TEXT"), ("8", "1"), ("10", "0.0"), ("20", "0.0"), ("40", "5"),
            ("1", f"Piece Name: {name}")])
    return _inject(data, blocks, _insert(names[0]))


def deep_nesting(data: bytes, rng: random.Random) -> bytes:
    """A chain of ``depth`` blocks, each inserting the next (recursion depth attack)."""
    depth = rng.choice([50, 500, 3000])
    blocks = []
    for k in range(depth):
        body = _insert(f"DEEP{k + 1}") if k + 1 < depth else _square()
        blocks += _block(f"DEEP{k}", body)
    return _inject(data, blocks, _insert("DEEP0"))


def fan_out(data: bytes, rng: random.Random) -> bytes:
    """A "billion laughs" block tree: each level inserts the next level 10 times."""
    levels = rng.choice([4, 6, 9])
    blocks = _block("FAN0", _square())
    for k in range(1, levels):
        body = []
        for j in range(10):
            body += _insert(f"FAN{k - 1}", float(j), 0.0)
        blocks += _block(f"FAN{k}", body)
    return _inject(data, blocks, _insert(f"FAN{levels - 1}"))


def nest_block(data: bytes, rng: random.Random) -> bytes:
    """Some piece blocks drawn as an INSERT of an inner block holding everything they held (the
    inner block moved by (dx, dy) and the INSERT moving it back, or both turned by 180 degrees)."""
    t = tags(data)
    starts = [i for i in range(len(t) - 1) if t[i] == ("0", "BLOCK")]
    if not starts:
        return data
    out = list(t)
    inner_blocks = []
    for k, s in enumerate(sorted(rng.sample(starts, min(len(starts), rng.randint(1, 3))), reverse=True)):
        head_end = s + 1
        while head_end < len(t) and t[head_end][0] != "0":
            head_end += 1
        end = next((i for i in range(head_end, len(t)) if t[i] == ("0", "ENDBLK")), None)
        if end is None:
            continue
        name = f"INNER{k}"
        body = t[head_end:end]
        if rng.random() < 0.5:  # the inner block at base (0, 0), inserted turned twice by 180 degrees
            ins = [("0", "INSERT"), ("8", "0"), ("2", name), ("10", "0.0"), ("20", "0.0"), ("30", "0.0"),
                   ("50", "180.0")]
            inner_blocks += _block(name, [("0", "INSERT"), ("8", "0"), ("2", name + "R"), ("10", "0.0"),
                                          ("20", "0.0"), ("30", "0.0"), ("50", "180.0")])
            inner_blocks += _block(name + "R", body)
        else:  # the inner block's base point at (dx, dy): the INSERT at (dx, dy) puts it back
            dx, dy = rng.uniform(-500, 500), rng.uniform(-500, 500)
            ins = _insert(name, dx, dy)
            blk = _block(name, body)
            blk[4], blk[5] = ("10", repr(dx)), ("20", repr(dy))  # the base point
            inner_blocks += blk
        out[head_end:end] = ins
    b = next(i for i in range(len(out)) if out[i][0] == "2" and out[i][1].strip() == "BLOCKS")
    out[b + 1: b + 1] = inner_blocks
    return untags(out)


def xref_block(data: bytes, rng: random.Random) -> bytes:
    """An external reference block (flag 4) pointing at a path outside the folder."""
    target = rng.choice(["/etc/passwd", "../../../etc/shadow", "C:\\secret.dxf", "\\\\server\\share\\x.dxf",
                         "http://example.invalid/x.dxf", "xref.dxf"])
    blocks = _block("XREF1", [], flags=rng.choice([4, 12, 36]), xref=target)
    return _inject(data, blocks, _insert("XREF1", 0.0, 0.0, layer=rng.choice(["0", "1"])))


def big_polyline(data: bytes, rng: random.Random, n: int | None = None, spikes: bool = True) -> bytes:
    """A piece block whose outline has ``n`` vertices: a circle of radius 200 centred at
    (5000, 0), with a 30 mm zero-width spike at every 97th vertex when ``spikes``."""
    import math

    n = n or rng.choice([20_000, 200_000])
    body = [("0", "POLYLINE"), ("8", "1"), ("66", "1"), ("10", "0.0"), ("20", "0.0"), ("30", "0.0"),
            ("70", "1")]
    for k in range(n):
        a = 2 * math.pi * k / n
        r = 200.0 + (30.0 if spikes and k % 97 == 0 else 0.0)  # spikes one vertex wide
        body += [("0", "VERTEX"), ("8", "1"), ("10", f"{r * math.cos(a):.6f}"),
                 ("20", f"{r * math.sin(a):.6f}"), ("30", "0.0")]
    body += [("0", "SEQEND"), ("8", "1"), ("0", "TEXT"), ("8", "1"), ("10", "0.0"), ("20", "0.0"),
             ("40", "5"), ("1", "Piece Name: BIG")]
    return _inject(data, _block("BIGPIECE", body), _insert("BIGPIECE", 5000.0, 0.0))


DXF_MUTATORS = {
    f.__name__: f
    for f in (byte_flip, byte_garbage, truncate, truncate_keep_eof, bad_numbers, all_coords, swap_codes,
              retype, delete_tags, duplicate_tags, huge_text, odd_texts, insert_cycle, deep_nesting, fan_out,
              xref_block, nest_block)
}


# --- order files (TOML) ----------------------------------------------------------------------

_ORDER_VALUES = ['"../../etc/passwd"', '"/etc/passwd"', '"link.dxf"', "-1", "0", "1e309", "nan", "inf",
                 "1000000000", '""', '"%s{0}"', "[]", "{}", '"\\u0000"', '"CON"', '"a/b"', "true",
                 '"' + "x" * 5000 + '"', "9223372036854775807", '"tee.dxf\\u0000.toml"', '"~/x.dxf"']


def toml_values(data: bytes, rng: random.Random) -> bytes:
    """Replace the values of some ``key = value`` lines with hostile ones."""
    lines = data.decode("utf-8", errors="replace").splitlines()
    idx = [i for i, ln in enumerate(lines) if re.match(r"^\s*[A-Za-z_]+\s*=", ln)]
    for i in rng.sample(idx, min(len(idx), rng.randint(1, 3))):
        key = lines[i].split("=", 1)[0]
        lines[i] = f"{key}= {rng.choice(_ORDER_VALUES)}"
    return ("\n".join(lines) + "\n").encode()


def toml_sizes(data: bytes, rng: random.Random) -> bytes:
    """Hostile ``sizes`` tables: huge counts, unknown sizes, odd keys."""
    bad = ['{ S = 100000 }', '{ "../x" = 1 }', '{ S = -1 }', '{ S = 1.5 }', '{}', '{ "" = 1 }',
           '{ S = 1, S2 = 9999999999999 }', '"S"']
    lines = data.decode("utf-8", errors="replace").splitlines()
    return ("\n".join(f"sizes = {rng.choice(bad)}" if ln.strip().startswith("sizes") else ln
                      for ln in lines) + "\n").encode()


def toml_lines(data: bytes, rng: random.Random) -> bytes:
    """Delete, duplicate or shuffle whole lines."""
    lines = data.decode("utf-8", errors="replace").splitlines()
    if not lines:
        return data
    i = rng.randrange(len(lines))
    op = rng.choice(["del", "dup", "swap"])
    if op == "del":
        del lines[i]
    elif op == "dup":
        lines.insert(i, lines[i])
    else:
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    return ("\n".join(lines) + "\n").encode()


ORDER_MUTATORS = {f.__name__: f for f in (toml_values, toml_sizes, toml_lines, byte_flip, truncate)}


def mutate(data: bytes, name: str, seed: int, table: dict | None = None) -> bytes:
    """Apply mutator ``name`` with ``random.Random(seed)``."""
    table = DXF_MUTATORS if table is None else table
    return table[name](data, random.Random(seed))


# --- benchmark instances (JSON) ----------------------------------------------------------------

_JSON_BAD = ["NaN", "Infinity", "-Infinity", "1e300", "-1", "0", "1e9", "1.5", '"x"', "null", "[]", "{}",
             "true", "9" * 400, "[[0,0]]", '[[0,0],[1,0],[0,1],[1,1]]']


def json_numbers(data: bytes, rng: random.Random) -> bytes:
    """Replace some numbers of a JSON file with hostile values (NaN, huge, negative, wrong type)."""
    text = data.decode("utf-8", errors="replace")
    spots = [m.span() for m in re.finditer(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?", text)]
    if not spots:
        return byte_flip(data, rng)
    for a, b in sorted(rng.sample(spots, min(len(spots), rng.choice([1, 3, 20]))), reverse=True):
        text = text[:a] + rng.choice(_JSON_BAD) + text[b:]
    return text.encode()


def json_keys(data: bytes, rng: random.Random) -> bytes:
    """Rename or drop keys (``demand``, ``shape``, ``strip_height`` ...)."""
    text = data.decode("utf-8", errors="replace")
    keys = sorted(set(re.findall(r'"([a-z_]+)"\s*:', text)))
    if not keys:
        return byte_flip(data, rng)
    k = rng.choice(keys)
    new = rng.choice(['"x"', f'"{k.upper()}"', f'"{k}_"'])
    return text.replace(f'"{k}"', new, rng.choice([1, -1])).encode()


JSON_MUTATORS = {f.__name__: f for f in (json_numbers, json_keys, byte_flip, truncate, duplicate_tags)}
