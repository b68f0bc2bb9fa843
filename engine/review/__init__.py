"""Reviewing proposed text change by change: what differs between a text and a suggestion,
as separate changes a writer can take or leave (no Qt; the cards only draw them)."""
