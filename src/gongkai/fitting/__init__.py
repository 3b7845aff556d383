"""Fitting: the format, the tables' cells by label, position and identity, metadata and prose figures."""
