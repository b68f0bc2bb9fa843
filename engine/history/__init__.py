"""Local history: every saved version of a document, kept compactly in the data folder.

``store`` keeps one document's versions (SQLite; paragraphs stored once, compressed, and
shared by every version that has them), ``library`` finds the store of a file (by its
path, or by its text when the file was moved or renamed outside Wordloom), ``thinning``
decides which versions to keep as they age, ``compare`` shows what changed between two.
"""
