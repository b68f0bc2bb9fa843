"""A document as blocks: the common shape between Markdown, Word and OpenDocument.

Markdown is parsed with markdown-it-py (CommonMark, plus tables); the importers produce
blocks and the exporters consume them, so each format needs only its own half. Blocks
keep what a writer's manuscript needs: headings, paragraphs, emphasis, bullet and
numbered lists (nested), block quotes, code and simple tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from markdown_it import MarkdownIt
from markdown_it.token import Token


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    link: str = ""  # a hyperlink's target ("#name": a bookmark in the document)
    note: str = ""  # a footnote's reference (its label; the run has no text)
    image: str = ""  # an image's file (the text is its description)

    @property
    def plain(self) -> bool:
        """Words only: a run that may join the one beside it when they look the same."""
        return not (self.note or self.image)


@dataclass
class Block:
    kind: str  # heading, paragraph, bullet, number, quote, code, table
    runs: list[Run] = field(default_factory=list)
    level: int = 0  # heading 1-6; list nesting from 0
    rows: list[list[str]] = field(default_factory=list)  # tables: the first row is the head
    label: str = ""  # a footnote's ("note": level 0 its first paragraph, 1 the ones after)

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


def parser() -> MarkdownIt:
    from mdit_py_plugins.footnote import footnote_plugin

    return MarkdownIt("commonmark").enable("table").use(footnote_plugin)


def markdown_to_html(text: str) -> str:
    return str(parser().render(text))


def from_markdown(text: str) -> list[Block]:
    tokens = parser().parse(text)
    blocks: list[Block] = []
    lists: list[str] = []  # "bullet" or "number", innermost last
    quote = 0
    table: list[list[str]] | None = None
    note = ""  # the footnote being read
    note_paragraphs = 0
    for i, token in enumerate(tokens):
        kind = token.type
        if kind == "footnote_open":
            note, note_paragraphs = str(token.meta.get("label", "")), 0
        elif kind == "footnote_close":
            note = ""
        elif kind == "inline" and note:
            blocks.append(Block("note", _runs(token), 1 if note_paragraphs else 0,
                                label=note))
            note_paragraphs += 1
        elif kind == "bullet_list_open":
            lists.append("bullet")
        elif kind == "ordered_list_open":
            lists.append("number")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "blockquote_open":
            quote += 1
        elif kind == "blockquote_close":
            quote -= 1
        elif kind == "table_open":
            table = []
        elif kind == "table_close" and table is not None:
            blocks.append(Block("table", rows=table))
            table = None
        elif kind == "tr_open" and table is not None:
            table.append([])
        elif kind == "inline" and table is not None:
            table[-1].append("".join(r.text for r in _runs(token)))
        elif kind in ("fence", "code_block"):
            blocks.append(Block("code", [Run(token.content.rstrip("\n"), code=True)]))
        elif kind == "inline":
            opener = tokens[i - 1].type if i else ""
            runs = _runs(token)
            if opener == "heading_open":
                blocks.append(Block("heading", runs, int(tokens[i - 1].tag[1:])))
            elif lists:
                blocks.append(Block(lists[-1], runs, len(lists) - 1))
            elif quote:
                blocks.append(Block("quote", runs))
            else:
                blocks.append(Block("paragraph", runs))
    return blocks


def _runs(inline: Token) -> list[Run]:
    runs: list[Run] = []
    bold = italic = 0
    link = ""
    for child in inline.children or []:
        kind = child.type
        if kind == "link_open":
            link = str(child.attrs.get("href", ""))
        elif kind == "link_close":
            link = ""
        elif kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "text":
            append_run(runs, Run(child.content, bold > 0, italic > 0, link=link))
        elif kind == "code_inline":
            runs.append(Run(child.content, bold > 0, italic > 0, code=True, link=link))
        elif kind in ("softbreak", "hardbreak"):
            append_run(runs, Run(" " if kind == "softbreak" else "\n", bold > 0, italic > 0,
                           link=link))
        elif kind == "image":
            append_run(runs, Run(child.content, bold > 0, italic > 0, link=link,
                                 image=str(child.attrs.get("src", ""))))
        elif kind == "footnote_ref":
            append_run(runs, Run("", note=str(child.meta.get("label", ""))))
    return runs


def append_run(runs: list[Run], run: Run) -> None:
    """Add ``run`` at the end, joined to the one before when both are words in the same
    look (Word stores a word typed letter by letter, or formatted one letter at a time, as
    a run a letter). A footnote's reference or a picture is never joined; an empty run of
    words is left out."""
    if runs and runs[-1].plain and run.plain and \
            (runs[-1].bold, runs[-1].italic, runs[-1].code, runs[-1].link) == \
            (run.bold, run.italic, run.code, run.link):
        runs[-1] = replace(runs[-1], text=runs[-1].text + run.text)
    elif run.text or not run.plain:
        runs.append(run)


_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|"})


def _md_runs(runs: list[Run]) -> str:
    """Runs as Markdown: emphasis per run, one link around the runs that share it."""
    out: list[str] = []
    index = 0
    while index < len(runs):
        link = runs[index].link
        end = index + 1
        while end < len(runs) and runs[end].link == link:
            end += 1
        text = _md_looks(runs[index:end])
        if link and text.strip():  # the spaces around a link's words stay outside it
            core = text.strip()
            lead, tail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
            text = f"{lead}[{core}]({_target(link)}){tail}"
        out.append(text)
        index = end
    return "".join(out).replace("\n", "  \n")


def _target(link: str) -> str:
    """A link target as CommonMark reads it back (in <...> when it has spaces)."""
    return f"<{link}>" if any(c in link for c in " ()<>") else link


def _md_looks(runs: list[Run]) -> str:
    out = []
    for run in runs:
        if run.note:
            out.append(f"[^{run.note}]")
            continue
        if run.image:
            out.append(f"![{run.text.translate(_SPECIAL)}]({_target(run.image)})")
            continue
        if run.code:
            out.append(f"`{run.text}`")
            continue
        text = run.text.translate(_SPECIAL)
        core = text.strip()
        if not core:
            out.append(text)
            continue
        lead, tail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
        mark = ("**" if run.bold else "") + ("*" if run.italic else "")
        out.append(f"{lead}{mark}{core}{mark[::-1]}{tail}")
    return "".join(out)


def to_markdown(blocks: list[Block]) -> str:
    out: list[str] = []
    previous = ""
    counts: dict[int, int] = {}  # a numbered list's items so far, by nesting level
    for block in blocks:
        listed = block.kind in ("bullet", "number")
        same_list = listed and previous in ("bullet", "number") and (
            block.kind == previous or block.level > 0)
        if out and not same_list:
            out.append("")
        if not same_list:
            counts.clear()
        for deeper in [level for level in counts if level > block.level]:
            del counts[deeper]  # a sublist that ended: the next one counts from 1
        if block.kind == "number":
            counts[block.level] = counts.get(block.level, 0) + 1
        else:
            counts.pop(block.level, None)
        indent = "   " * block.level
        if block.kind == "heading":
            out.append("#" * max(1, min(6, block.level)) + " " + _md_runs(block.runs))
        elif block.kind == "bullet":
            out.append(f"{indent}- {_md_runs(block.runs)}")
        elif block.kind == "number":
            out.append(f"{indent}{counts[block.level]}. {_md_runs(block.runs)}")
        elif block.kind == "quote":
            out.append("> " + _md_runs(block.runs).replace("\n", "\n> "))
        elif block.kind == "code":
            out.append("```\n" + block.text + "\n```")
        elif block.kind == "note":
            text = _md_runs(block.runs).replace("\n", "\n    ")
            out.append(f"    {text}" if block.level else f"[^{block.label}]: {text}")
        elif block.kind == "table" and block.rows:
            width = max(len(r) for r in block.rows)
            rows = [[c.replace("|", "\\|").replace("\n", " ") for c in r] +
                    [""] * (width - len(r)) for r in block.rows]
            out.append("| " + " | ".join(rows[0]) + " |")
            out.append("|" + "---|" * width)
            out += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        else:
            out.append(_md_runs(block.runs))
        previous = block.kind
    return "\n".join(out).rstrip() + "\n"


def whole_word_code(runs: list[Run]) -> list[Run]:
    """A monospace font in the middle of a word is a font, not code ("Thes`e `are")."""
    out: list[Run] = []
    for i, run in enumerate(runs):
        if run.plain and run.code and not all(r.code for r in runs):
            before = runs[i - 1].text[-1:] if i else ""
            after = runs[i + 1].text[:1] if i + 1 < len(runs) else ""
            if (before.isalnum() and run.text[:1].isalnum()) or \
                    (after.isalnum() and run.text[-1:].isalnum()) or not run.text.strip():
                run = replace(run, code=False)
        append_run(out, run)
    return out
