"""Maintenance tools shared by people and CI: labs, navigation, pairing, execution, locks.

Each module has a command-line entry point in ``scripts/`` and a freshness test in ``tests/``.
"""
