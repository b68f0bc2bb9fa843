"""Writing projects: the folder, the project file, the lock, search, replace, stats and
the command line, on real folders the tests write (and real git, real trash)."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import tomllib
from pathlib import Path

import pytest

from engine.history.library import HistoryLibrary
from engine.project import lock as project_lock
from engine.project.index import SearchIndex
from engine.project.manifest import FILE_NAME, ProjectError, read_manifest
from engine.project.model import Project
from engine.project.replace import apply, preview, undo
from engine.project.stats import project_stats
from helpers import assert_user_error, wordloom, wordloom_json, write


@pytest.fixture
def book(tmp_path: Path) -> Path:
    root = tmp_path / "book"
    write(root / "Part One" / "01 Arrival.md", "# Arrival\n\nMr. Darcy came to Netherfield. "
          "Darcy's horse was tired.\n\nThe Darcys dined at Darcyville.\n")
    write(root / "Part One" / "02 Ball.md", "# The Ball\n\nDARCY would not dance.\n\n* * *"
          "\n\nElizabeth laughed at darcy.\n")
    write(root / "Part Two" / "03 Letter.md", "# A Letter\n\n达西先生去了杭州，看了西湖。\n")
    return root


def test_init_lists_existing_documents_in_natural_order_and_writes_nothing_else(
        book: Path) -> None:
    write(book / "Part Two" / "10 Later.md", "# Later\n")
    before = {p for p in book.rglob("*")}
    with Project.init(book, "Pride") as project:
        assert project.documents() == ["Part One/01 Arrival.md", "Part One/02 Ball.md",
                                       "Part Two/03 Letter.md", "Part Two/10 Later.md"]
        after = {p for p in book.rglob("*")} - before
        assert {p.name for p in after} == {FILE_NAME, project_lock.LOCK_NAME}
    assert not (book / project_lock.LOCK_NAME).exists()  # the lock goes with the project
    data = tomllib.loads((book / FILE_NAME).read_text())
    assert data["title"] == "Pride"
    assert [i["path"] for i in data["items"]][:2] == ["Part One/", "Part One/01 Arrival.md"]


def test_templates_start_a_novel_and_a_thesis(tmp_path: Path) -> None:
    with Project.init(tmp_path / "n", template="novel") as novel:
        assert "Part One/Chapter 1.md" in novel.documents()
    with Project.init(tmp_path / "t", template="thesis") as thesis:
        assert thesis.documents()[0] == "01 Abstract.md"
        assert len(thesis.documents()) == 7


def test_outside_changes_are_taken_in(book: Path) -> None:
    with Project.init(book) as project:
        project.set_item("Part One/02 Ball.md", status="revised", synopsis="The ball")
        os.rename(book / "Part One" / "02 Ball.md", book / "Part One" / "02 The Ball.md")
        write(book / "notes.md", "stray notes\n")
        (book / "Part Two" / "03 Letter.md").unlink()
        said = project.refresh()
        assert any("renamed" in line for line in said)
        item = project.manifest.item("Part One/02 The Ball.md")
        assert item is not None and item.status == "revised" and item.synopsis == "The ball"
        assert project.unplaced == ["notes.md"]
        assert "Part Two/03 Letter.md" not in read_manifest(book).paths()


def test_every_operation_can_be_undone(book: Path) -> None:
    with Project.init(book) as project:
        start = (project.manifest.paths(), sorted(p.relative_to(book).as_posix()
                                                  for p in book.rglob("*.md")))
        project.new_folder("", "Part Three")
        new = project.new_document("Part Three/", "Epilogue", "# Epilogue\n\nThe end.\n")
        project.move("Part One/01 Arrival.md", "Part Three/", 0)
        project.rename("Part Two/", "Part 2")
        project.delete("Part One/")
        assert not (book / "Part One").exists()
        assert new == "Part Three/Epilogue.md"
        while project.undo_label():
            project.undo()
        assert (project.manifest.paths(), sorted(p.relative_to(book).as_posix()
                                                 for p in book.rglob("*.md"))) == start
        assert (book / "Part One" / "02 Ball.md").read_text().startswith("# The Ball")


def test_bad_names_and_moves_are_refused_with_nothing_changed(book: Path) -> None:
    with Project.init(book) as project:
        before = (book / FILE_NAME).read_bytes()
        for action in (lambda: project.new_document("", "a/b"),
                       lambda: project.new_document("", ".hidden"),
                       lambda: project.rename("Part One/02 Ball.md", "01 Arrival"),
                       lambda: project.move("Part One/", "Part One/", 0)):
            with pytest.raises(ProjectError):
                action()
        assert (book / FILE_NAME).read_bytes() == before


# -- the lock --------------------------------------------------------------------------------

def test_a_live_lock_opens_read_only_and_a_stale_one_is_taken_over(book: Path) -> None:
    Project.init(book).close()
    holder = {"host": socket.gethostname(), "pid": os.getppid(), "since": "earlier"}
    (book / project_lock.LOCK_NAME).write_text(json.dumps(holder))
    with Project.open(book) as project:
        assert project.read_only
        assert f"process {os.getppid()}" in project.notes[0]
        with pytest.raises(ProjectError, match="read-only"):
            project.new_document("", "x")
    dead = subprocess.run(["true"], check=True)
    holder["pid"] = 2 ** 22 + 12345  # above pid_max's default: no such process
    (book / project_lock.LOCK_NAME).write_text(json.dumps(holder))
    with Project.open(book) as project:
        assert not project.read_only and "stale lock" in project.notes[0]
    assert dead.returncode == 0


# -- search ----------------------------------------------------------------------------------

def test_search_options_and_chinese(book: Path) -> None:
    with Project.init(book) as project:
        index = SearchIndex(project.root)
        assert index.sync(project.documents()) == 3
        def paths(query: str, **options: bool) -> list[tuple[str, int, int]]:
            hits, _ = index.search(query, **options)
            return [(h.path, h.line, h.column) for h in hits]
        assert len(paths("darcy")) == 6  # every form, any case, inside Darcyville too
        assert len(paths("darcy", whole_word=True)) == 4  # Darcy, Darcy's, DARCY, darcy
        assert paths("Darcy", whole_word=True, case=True) == [
            ("Part One/01 Arrival.md", 3, 5), ("Part One/01 Arrival.md", 3, 32)]
        assert paths(r"Darcy\w+", regex=True, case=True) == [
            ("Part One/01 Arrival.md", 5, 5), ("Part One/01 Arrival.md", 5, 21)]
        assert paths("杭州") == [("Part Two/03 Letter.md", 3, 7)]
        hits, _ = index.search("Netherfield")
        assert hits[0].context == "Mr. Darcy came to Netherfield. Darcy's horse was tired."
        with pytest.raises(ProjectError, match="regular expression"):
            index.search("(unclosed", regex=True)
        index.close()


def test_the_index_is_updated_by_hash_and_rebuilt_when_damaged(book: Path) -> None:
    with Project.init(book) as project:
        index = SearchIndex(project.root)
        index.sync(project.documents())
        assert index.sync(project.documents()) == 0  # nothing changed, nothing read
        write(book / "Part Two" / "03 Letter.md", "# A Letter\n\nWickham wrote.\n")
        assert index.sync(project.documents()) == 1
        assert index.search("Wickham")[0]
        assert index.update("Part Two/03 Letter.md", "# A Letter\n\nWickham wrote.\n") \
            is False
        index.close()
        index.db_file.write_bytes(b"this is not a database" * 100)
        fresh = SearchIndex(project.root)
        assert fresh.sync(project.documents()) == 3 and fresh.rebuilt
        assert fresh.search("Wickham")[0]
        fresh.close()


# -- replace ---------------------------------------------------------------------------------

def test_replace_a_name_with_its_forms_keeps_versions_and_undoes_as_one_step(
        book: Path) -> None:
    with Project.init(book) as project:
        files, notes = preview(project, "Darcy", "Bingley", whole_word=True)
        assert not notes
        assert [f.path for f in files] == ["Part One/01 Arrival.md", "Part One/02 Ball.md"]
        assert [c.new for c in files[0].review.changes] == ["Bingley"] * 3
        assert [c.new for c in files[1].review.changes] == ["BINGLEY", "Bingley"]  # as typed
        files[1].review.reject(files[1].review.changes[1].id)  # the writer keeps one
        before = {p: (book / p).read_text() for p in project.documents()}
        done = apply(project, files)
        assert (book / "Part One/01 Arrival.md").read_text() == (
            "# Arrival\n\nMr. Bingley came to Netherfield. Bingley's horse was tired.\n\n"
            "The Bingleys dined at Darcyville.\n")
        assert "BINGLEY would not" in (book / "Part One/02 Ball.md").read_text()
        assert "laughed at darcy." in (book / "Part One/02 Ball.md").read_text()
        opened = HistoryLibrary().open(book / "Part One/01 Arrival.md", create=False)
        assert opened is not None
        reasons = [v.reason for v in sorted(opened.store.versions(), key=lambda v: v.id)]
        opened.store.close()
        assert reasons[-2:] == ["before-replace", "replace"]
        assert undo(project, done) == []
        assert {p: (book / p).read_text() for p in project.documents()} == before


def test_replace_leaves_a_file_changed_since_the_preview(book: Path) -> None:
    with Project.init(book) as project:
        files, _ = preview(project, "Darcy", "Bingley", whole_word=True)
        write(book / "Part One/02 Ball.md", "# The Ball\n\nDarcy danced after all.\n")
        done = apply(project, files)
        assert [p for p, _, _ in done.files] == ["Part One/01 Arrival.md"]
        assert "changed by another program" in done.notes[0]
        assert "Darcy danced" in (book / "Part One/02 Ball.md").read_text()


# -- statistics ------------------------------------------------------------------------------

def test_stats_count_words_today_from_each_documents_history(book: Path) -> None:
    with Project.init(book) as project:
        doc = book / "Part One/01 Arrival.md"
        opened = HistoryLibrary().open(doc, doc.read_text())
        assert opened is not None
        yesterday = (dt.datetime.now() - dt.timedelta(days=1)).timestamp()
        opened.store.record(doc.read_text(), "save", when=yesterday)
        opened.store.close()
        write(doc, doc.read_text() + "\nFive more words were written.\n")
        project.manifest.goal_words = 1000
        project.manifest.goal_by = dt.date.today() + dt.timedelta(days=9)
        stats = project_stats(project)
        assert stats.words_today == 5
        assert stats.words == sum(d.words for d in stats.documents)
        assert stats.per_day_needed == -(-(1000 - stats.words) // 10)
        assert stats.days[-1] == (dt.date.today(), 5) and len(stats.days) == 30


# -- the command line ------------------------------------------------------------------------

def test_the_command_line(book: Path, tmp_path: Path) -> None:
    made = wordloom_json("project", "init", str(book), "--title", "Pride")
    assert made["title"] == "Pride" and len(made["documents"]) == 3
    listed = wordloom_json("project", "ls", str(book))
    assert [d["title"] for d in listed["documents"]] == ["Arrival", "The Ball", "A Letter"]
    assert listed["words"] == sum(d["words"] for d in listed["documents"])
    found = wordloom_json("project", "search", str(book), "darcy", "--whole-word")
    assert sorted((h["path"], h["line"], h["column"]) for h in found["hits"]) == [
        ("Part One/01 Arrival.md", 3, 5), ("Part One/01 Arrival.md", 3, 32),
        ("Part One/02 Ball.md", 3, 1), ("Part One/02 Ball.md", 7, 22)]
    assert found["took_ms"] >= 0
    dry = wordloom_json("project", "replace", str(book), "Darcy", "Bingley", "--whole-word",
                        "--dry-run")
    assert dry == {"hits": 5, "files": 2, "applied": 0}
    assert "Darcy" in (book / "Part One/01 Arrival.md").read_text()
    done = wordloom_json("project", "replace", str(book), "Darcy", "Bingley", "--whole-word")
    assert done == {"hits": 5, "files": 2, "applied": 5}
    stats = wordloom_json("project", "stats", str(book))
    assert stats["words"] == listed["words"] and stats["documents"] == 3
    out = tmp_path / "out" / "book.md"
    out.parent.mkdir()
    built = wordloom_json("project", "build", str(book), str(out), "--only", "Part Two")
    assert [c["path"] for c in built["chapters"]] == ["Part Two/03 Letter.md"]
    assert out.read_text() == "# Pride\n\n# A Letter\n\n达西先生去了杭州，看了西湖。\n"


def test_command_line_mistakes_get_one_line(book: Path, tmp_path: Path) -> None:
    assert_user_error(wordloom("project", "ls", str(book)), "is not a Wordloom project")
    wordloom_json("project", "init", str(book))
    assert_user_error(wordloom("project", "build", str(book), str(book / "b.epub")),
                      "inside the project")
    assert_user_error(wordloom("project", "build", str(book), str(tmp_path / "b.rtf")),
                      "cannot build .rtf")
    assert_user_error(wordloom("project", "search", str(book), "(", "--regex"),
                      "not a regular expression")
    holder = {"host": socket.gethostname(), "pid": os.getpid(), "since": "now"}
    (book / project_lock.LOCK_NAME).write_text(json.dumps(holder))
    before = (book / "Part One/01 Arrival.md").read_bytes()
    assert_user_error(wordloom("project", "replace", str(book), "Darcy", "X"),
                      f"process {os.getpid()}", "close it there first")
    assert (book / "Part One/01 Arrival.md").read_bytes() == before
    (book / project_lock.LOCK_NAME).unlink()
    (book / FILE_NAME).write_text('title = "Pride"\nitems = [ { path = "a.md" \n')
    assert_user_error(wordloom("project", "ls", str(book)), "project file is damaged")
    (book / FILE_NAME).write_text('title = "Pride"\nitems = [{ path = "../../etc/passwd" }]\n')
    assert_user_error(wordloom("project", "stats", str(book)), "leaves the project")


def test_a_document_that_is_not_text_is_named_and_left_alone(book: Path) -> None:
    wordloom_json("project", "init", str(book))
    garbage = bytes(range(256)) * 8
    (book / "Part Two" / "broken.md").write_bytes(garbage)
    done = wordloom("project", "ls", str(book), "--json")
    assert done.returncode == 0
    assert [line for line in done.stderr.splitlines() if "broken.md" in line] and \
        "Traceback" not in done.stderr
    done = wordloom("project", "replace", str(book), "Darcy", "X", "--json")
    assert done.returncode == 0 and "broken.md" in done.stderr
    assert (book / "Part Two" / "broken.md").read_bytes() == garbage


def test_a_huge_folder_and_a_symlink_loop(tmp_path: Path) -> None:
    huge = tmp_path / "huge"
    huge.mkdir()
    for n in range(10_000):
        (huge / f"{n}.md").write_bytes(b"x")
    assert_user_error(wordloom("project", "init", str(huge)), "over the 5,000 a project can hold")
    assert not (huge / FILE_NAME).exists()
    loop = tmp_path / "loop"
    write(loop / "a.md", "# A\n")
    (loop / "again").symlink_to(loop, target_is_directory=True)
    (loop / "self.md").symlink_to(loop / "self.md")
    made = wordloom("project", "init", str(loop), "--json")
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["documents"] == ["a.md"]
    assert "again: a link to a folder, not followed" in made.stderr
    assert "self.md: skipped" in made.stderr


def test_the_watcher_reports_outside_changes_once_settled(book: Path) -> None:
    import threading

    from engine.project.watch import ProjectWatcher

    reports: list[set[str]] = []
    arrived = threading.Event()
    watcher = ProjectWatcher(book, lambda paths: (reports.append(paths), arrived.set()),
                             settle=0.2)
    watcher.start()
    try:
        write(book / "Part Two" / "04 New.md", "# New\n")
        os.rename(book / "03 Letter.md" if (book / "03 Letter.md").exists() else
                  book / "Part Two" / "03 Letter.md", book / "Part Two" / "03 Note.md")
        write(book / ".hidden.md", "not reported\n")
        assert arrived.wait(10)
    finally:
        watcher.stop()
    assert len(reports) == 1
    assert {"Part Two/04 New.md", "Part Two/03 Letter.md", "Part Two/03 Note.md"} <= reports[0]
    assert not [p for p in reports[0] if ".hidden" in p]


def test_the_projects_dictionary_is_kept_in_the_project_file(book: Path) -> None:
    with Project.init(book) as project:
        assert project.add_word("Qwillanth") and not project.add_word("Qwillanth")
    assert read_manifest(book).words == ["Qwillanth"]
