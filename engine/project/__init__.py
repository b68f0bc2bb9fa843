"""Writing projects: a folder of the writer's own documents and one small project file.

``manifest`` reads and writes the project file, ``folder`` scans the documents, ``model``
is the tree and its undoable operations, ``lock`` keeps two programs from writing at
once, ``index`` is the search index (SQLite FTS5, in the cache folder), ``replace`` turns
a project-wide replace into pending changes, ``build`` makes one book, ``stats`` counts
it. No Qt here: the command line and the window both use these.
"""
