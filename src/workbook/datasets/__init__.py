"""Deterministic data generators: every dataset of the workbook is made here, locally, from a seed.

See ``data/README.md`` for which chapter uses which generator.
"""
