"""Checking: every identity and rule on one report, and across an agency's years."""
