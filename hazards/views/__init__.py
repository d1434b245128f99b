"""Pages of the hazard ledger (split by topic)."""
