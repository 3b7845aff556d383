"""Proving: evidence for each value, generated reports with their truth, damage, and accuracy evaluation."""
