"""Documents on disk and the recovery journal."""
