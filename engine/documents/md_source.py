"""Where each shown word of a Markdown document sits in its source.

``engine.documents.blocks.from_markdown`` turns Markdown into blocks and runs for the
exporters; this finds, for each of those blocks, the stretches of the source that its runs
show (markers such as ``#``, ``**`` or ``- `` lie between them), so a change to the source
can be drawn in the styled document, for instance as a Word tracked change inside a
heading's bold word. markdown-it-py gives each block's lines; the runs are found in them
in order. A source it cannot follow (an escape, an entity) gives None, and the caller
writes the text as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it.token import Token

from engine.documents.blocks import Block, Run, from_markdown, parser


@dataclass(frozen=True)
class Piece:
    start: int  # in the source (code points)
    end: int
    run: Run  # how it looks
    literal: bool = True  # the run's text is the source's text[start:end] (else a break)


@dataclass
class SourceBlock:
    block: Block
    pieces: list[Piece] = field(default_factory=list)  # none for a table


def source_blocks(text: str) -> list[SourceBlock] | None:
    """The blocks of ``text`` with the source stretches of their runs, in order; None when
    a run cannot be found in the source as it is shown."""
    tokens = parser().parse(text)
    lines = [0] + [m.end() for m in re.finditer("\n", text)] + [len(text)]
    blocks = from_markdown(text)
    out: list[SourceBlock] = []
    in_table = False
    for token in tokens:  # the tokens that make a block, in from_markdown's order
        if token.type == "table_open":
            in_table = True
        elif token.type == "table_close":
            in_table = False
            out.append(SourceBlock(blocks[len(out)]))
        elif in_table or token.map is None:
            continue
        elif token.type in ("fence", "code_block", "inline"):
            lo, hi = lines[min(token.map[0], len(lines) - 1)], \
                lines[min(token.map[1], len(lines) - 1)]
            pieces = _code(text, token, lo, hi) if token.type != "inline" \
                else _inline(text, token, lo, hi)
            if pieces is None or len(out) >= len(blocks):
                return None
            out.append(SourceBlock(blocks[len(out)], pieces))
    if len(out) != len(blocks):
        return None
    for item in out:  # what the pieces show is what the exporters show
        if item.block.kind != "table" and \
                "".join(p.run.text for p in item.pieces) != item.block.text:
            return None
    return out


def _code(text: str, token: Token, lo: int, hi: int) -> list[Piece] | None:
    content = token.content.rstrip("\n")
    if not content:
        return []
    at = text.find(content, lo, hi)
    return None if at < 0 else [Piece(at, at + len(content), Run(content, code=True))]


def _inline(text: str, token: Token, lo: int, hi: int) -> list[Piece] | None:
    pieces: list[Piece] = []
    bold = italic = 0
    pos = lo
    for child in token.children or []:
        kind = child.type
        if kind in ("strong_open", "strong_close", "em_open", "em_close"):
            step = 1 if kind.endswith("open") else -1
            if kind.startswith("strong"):
                bold += step
            else:
                italic += step
            continue
        if kind in ("text", "code_inline", "image"):
            shown, code = child.content, kind == "code_inline"
            literal = True
        elif kind in ("softbreak", "hardbreak"):
            shown, code, literal = (" " if kind == "softbreak" else "\n"), False, False
        else:
            continue  # links' and HTML's marks show nothing
        if not shown:
            continue
        at = text.find(shown if literal else "\n", pos, hi)
        if at < 0:
            return None
        end = at + (len(shown) if literal else 1)
        pieces.append(Piece(at, end, Run(shown, bold > 0, italic > 0, code), literal))
        pos = end
    return pieces
