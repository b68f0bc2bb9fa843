"""The paths and the order of a project's tree: names a file may have, where a move
takes a path, and the project file's items in tree order (each folder before what is in
it, the order within a folder kept); the templates a new project starts from."""

from __future__ import annotations

from engine.project.manifest import Item, Manifest, ProjectError

TEMPLATES: dict[str, list[tuple[str, str]]] = {
    "empty": [],
    "novel": [("Part One/", ""), ("Part One/Chapter 1.md", "# Chapter 1\n\n"),
              ("Notes/", ""), ("Notes/Characters.md", "# Characters\n\n")],
    "thesis": [(f"{n:02d} {t}.md", f"# {t}\n\n") for n, t in enumerate(
        ("Abstract", "Introduction", "Background", "Method", "Results", "Discussion",
         "Conclusion"), 1)],
    "articles": [("Drafts/", ""), ("Drafts/First article.md", "# First article\n\n"),
                 ("Published/", "")],
}


def clean_name(name: str) -> str:
    name = name.strip()
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\0" in name:
        raise ProjectError(f"{name!r} cannot be a file name (no slashes, not empty)")
    if name.startswith("."):
        raise ProjectError(f"{name}: a name starting with a dot would be hidden")
    return name


def under(parent: str, name: str) -> str:
    return f"{parent}{name}" if parent else name


def within(path: str, rel: str) -> bool:
    """``path`` is ``rel``, or under it when ``rel`` is a folder."""
    return path == rel or (rel.endswith("/") and path.startswith(rel))


def moved(path: str, old: str, new: str) -> str:
    if path == old:
        return new
    if old.endswith("/") and path.startswith(old):
        return new + path[len(old):]
    return path


def in_tree_order(manifest: Manifest, folders: set[str] | None = None) -> Manifest:
    """The items with each document's folders listed (when they exist), every child after
    its folder and folders' contents together, keeping the order within each folder."""
    items = list(manifest.items)
    listed = {i.path for i in items}
    for item in list(items):
        parent = item.parent
        while parent and parent not in listed and (folders is None or parent in folders):
            items.append(Item(parent))
            listed.add(parent)
            parent = Item(parent).parent
    children: dict[str, list[Item]] = {}
    for item in items:
        children.setdefault(item.parent, []).append(item)
    ordered: list[Item] = []

    def walk(parent: str) -> None:
        for child in children.get(parent, []):
            ordered.append(child)
            if child.is_folder:
                walk(child.path)

    walk("")
    out = manifest.copy()
    out.items = ordered
    return out
