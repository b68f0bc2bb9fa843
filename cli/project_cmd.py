"""``project``: a book of many documents from the command line.

    project init DIR [--title T] [--template novel|thesis|articles|empty]
    project ls DIR
    project search DIR QUERY [--whole-word] [--case] [--regex]
    project replace DIR OLD NEW [--whole-word] [--case] [--regex] [--dry-run]
    project build DIR OUT.(epub|docx|odt|pdf|html|md) [--only PATH ...] [--preset NAME]
    project stats DIR
    project entities DIR [--dismiss NAME ...]
    project continuity DIR

Each takes ``--json``. Commands that write (init, replace) take the project's lock and
refuse a project open elsewhere; the others only read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli.common import print_json
from engine.project.build import build, title_of
from engine.project.index import SearchIndex
from engine.project.manifest import BuildPreset, ProjectError
from engine.project.model import Project
from engine.project.replace import apply, count_hits, preview
from engine.project.stats import project_stats
from engine.project.tree import TEMPLATES


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("project", help="a book of many documents: init, ls, search, "
                            "replace, build, stats")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)

    def verb(name: str, help_text: str) -> argparse.ArgumentParser:
        made = verbs.add_parser(name, help=help_text)
        made.add_argument("folder", metavar="DIR", help="the project's folder")
        made.add_argument("--json", action="store_true", help="print JSON")
        return made

    init = verb("init", "make DIR a project (its documents stay as they are)")
    init.add_argument("--title", default="", help="the book's title (default: DIR's name)")
    init.add_argument("--template", choices=tuple(TEMPLATES), default="empty",
                      help="start with the folders and documents of a novel, a thesis, …")
    init.set_defaults(handler=run_init)
    verb("ls", "the documents in the book's order, with words and status").set_defaults(
        handler=run_ls)
    search = verb("search", "find text in every document")
    search.add_argument("query", metavar="QUERY")
    _options(search)
    search.set_defaults(handler=run_search)
    rep = verb("replace", "replace in every document (keeps a version of each first)")
    rep.add_argument("old", metavar="OLD")
    rep.add_argument("new", metavar="NEW")
    _options(rep)
    rep.add_argument("--dry-run", action="store_true", help="count the hits, change nothing")
    rep.set_defaults(handler=run_replace)
    out = verb("build", "make one book of the documents")
    out.add_argument("output", metavar="OUT", help="the book: .epub .docx .odt .pdf .html .md")
    out.add_argument("--only", nargs="+", metavar="PATH", default=None,
                     help="these documents or folders only")
    out.add_argument("--preset", default="", help="a build preset of the project file")
    out.set_defaults(handler=run_build)
    verb("stats", "words, words written today and the goal").set_defaults(handler=run_stats)
    entities = verb("entities", "the people and places the writing names again and again")
    entities.add_argument("--dismiss", nargs="+", metavar="NAME", default=None,
                          help="never propose these names again (kept in the project file)")
    entities.set_defaults(handler=run_entities)
    verb("continuity", "names spelled two ways: suspected misspellings and merges"
         ).set_defaults(handler=run_continuity)


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--whole-word", action="store_true", help="whole words only")
    parser.add_argument("--case", action="store_true", help="match case")
    parser.add_argument("--regex", action="store_true", help="QUERY is a regular expression")


def _open(args: argparse.Namespace, *, write: bool = False) -> Project:
    project = Project.open(Path(args.folder), lock=write)
    if write and project.read_only:
        project.close()
        reason = project.notes[-1] if project.notes else "it is locked"
        raise ProjectError(reason.replace("; opened read-only", "; close it there first"))
    for note in project.notes:
        print(f"note: {note}", file=sys.stderr)
    return project


def run_init(args: argparse.Namespace) -> int:
    with Project.init(Path(args.folder), args.title, args.template) as project:
        for note in project.notes:
            print(f"note: {note}", file=sys.stderr)
        if args.json:
            print_json({"title": project.manifest.title, "folder": str(project.root),
                        "documents": project.documents()})
        else:
            print(f"{project.root}: project \"{project.manifest.title}\" with "
                  f"{len(project.documents())} documents")
    return 0


def run_ls(args: argparse.Namespace) -> int:
    with _open(args) as project:
        stats = project_stats(project)
        rows = []
        for count in stats.documents:
            text = project.read(count.path) if not count.problem else ""
            if count.problem:
                print(f"warning: {count.problem}", file=sys.stderr)
            rows.append({"path": count.path, "title": title_of(count.path, text),
                         "words": count.words, "status": count.status if count.placed
                         else "not in the book"})
        if args.json:
            print_json({"title": project.manifest.title, "words": stats.words,
                        "documents": rows})
            return 0
        print(f"{project.manifest.title}: {stats.words:,} words")
        for row in rows:
            print(f"{row['words']:>8,}  {row['status']:<15}  {row['path']}")
    return 0


def _index(project: Project) -> SearchIndex:
    index = SearchIndex(project.root)
    index.sync(project.documents() + project.unplaced)
    return index


def run_search(args: argparse.Namespace) -> int:
    with _open(args) as project:
        index = _index(project)
        hits, took = index.search(args.query, whole_word=args.whole_word, case=args.case,
                                  regex=args.regex, order=project.documents())
        index.close()
    if args.json:
        print_json({"hits": [h.to_json() for h in hits], "took_ms": round(took, 2)})
        return 0
    for hit in hits:
        print(f"{hit.path}:{hit.line}:{hit.column}: {hit.context}")
    print(f"{len(hits)} hits in {len({h.path for h in hits})} documents", file=sys.stderr)
    return 0


def run_replace(args: argparse.Namespace) -> int:
    if not args.old:
        raise ProjectError("there is nothing to replace (OLD is empty)")
    with _open(args, write=not args.dry_run) as project:
        files, notes = preview(project, args.old, args.new, whole_word=args.whole_word,
                               case=args.case, regex=args.regex)
        for note in notes:
            print(f"warning: {note}", file=sys.stderr)
        hits = count_hits(files)
        applied = 0
        if not args.dry_run and files:
            done = apply(project, files)
            for note in done.notes:
                print(f"warning: {note}", file=sys.stderr)
            applied = sum(len(f.review.changes) for f in files
                          if f.path in {p for p, _, _ in done.files})
    if args.json:
        print_json({"hits": hits, "files": len(files), "applied": applied})
    else:
        verb = "would replace" if args.dry_run else "replaced"
        print(f"{verb} {hits if args.dry_run else applied} of {hits} hits in "
              f"{len(files)} documents")
    return 0


def run_build(args: argparse.Namespace) -> int:
    out = Path(args.output)
    if out.suffix.lower() == ".pdf":
        from render import pdf  # noqa: F401  (Qt draws PDFs; imported only for them)
    with _open(args) as project:
        preset = project.manifest.builds.get(args.preset) if args.preset else None
        if args.preset and preset is None:
            raise ProjectError(f"no build preset {args.preset!r} in the project file")
        preset = preset or BuildPreset()
        if args.only:
            from dataclasses import replace

            preset = replace(preset, only=tuple(_relative(project, p) for p in args.only))
        chapters = build(project, out, preset)
    if args.json:
        print_json({"output": str(out), "chapters": [{"path": c.path, "title": c.title}
                                                     for c in chapters]})
    else:
        print(f"{out}: {len(chapters)} chapters")
    return 0


def _relative(project: Project, given: str) -> str:
    """A path as the writer typed it (relative to the project, or a real path)."""
    path = Path(given)
    if path.is_absolute() or path.exists():
        try:
            return path.resolve().relative_to(project.root).as_posix()
        except ValueError:
            pass
    return given.replace("\\", "/").rstrip("/")


def run_stats(args: argparse.Namespace) -> int:
    with _open(args) as project:
        stats = project_stats(project)
    if args.json:
        print_json({"words": stats.words, "documents": len([d for d in stats.documents
                                                              if d.placed]),
                    "words_today": stats.words_today, "goal": stats.goal_json()})
        return 0
    print(f"words        {stats.words:,}")
    print(f"documents    {len([d for d in stats.documents if d.placed])}")
    print(f"today        {stats.words_today:,}")
    goal = stats.goal_json()
    if goal:
        print(f"goal         {goal['words']:,} by {goal['by'] or 'no date'}; "
              f"{goal['per_day']:,} a day")
    return 0


def _bible(project: Project) -> object:
    from engine.project.story import read_bible

    index = _index(project)
    bible, notes = read_bible(project, index=index)
    index.close()
    for note in notes:
        print(f"warning: {note}", file=sys.stderr)
    return bible


def run_entities(args: argparse.Namespace) -> int:
    from engine.project.story import dismiss, proposals
    from engine.story.bible import StoryBible

    with _open(args, write=bool(args.dismiss)) as project:
        if args.dismiss:
            dismiss(project, args.dismiss)
        bible = _bible(project)
        assert isinstance(bible, StoryBible)
        found = proposals(project, bible)
    if args.json:
        print_json({"entities": [e.to_json() for e in found]})
        return 0
    for entity in found:
        aliases = f" (also {', '.join(entity.aliases)})" if entity.aliases else ""
        print(f"{len(entity.mentions):>6}  {entity.kind:<12} {entity.name}{aliases}  "
              f"[{entity.first.path}:{entity.first.line}]")
    return 0


def run_continuity(args: argparse.Namespace) -> int:
    from engine.project.story import continuity
    from engine.story.bible import StoryBible
    from engine.text.readability import syllable_table

    with _open(args) as project:
        bible = _bible(project)
        assert isinstance(bible, StoryBible)
        found, offers = continuity(project, bible,
                                   lambda word: bool(syllable_table().lines(word.lower())))
    if args.json:
        print_json({"suspects": [s.to_json() for s in found],
                    "merges": [m.to_json() for m in offers]})
        return 0
    for suspect in found:
        for place in suspect.places:
            print(f"{place.path}:{place.line}:{place.column}: {suspect.word} → "
                  f"{suspect.suggestions[0]}?")
    for offer in offers:
        print(f"one entry, perhaps: {offer.names[0]} ({offer.mentions[0]}) and "
              f"{offer.names[1]} ({offer.mentions[1]})")
    return 0
