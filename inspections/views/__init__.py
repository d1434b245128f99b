"""Inspection pages (records, planning, spot-checks, visits, reviews)."""
