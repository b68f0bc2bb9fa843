"""Text utilities: position units and word diffs."""
