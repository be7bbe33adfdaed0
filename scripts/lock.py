#!/usr/bin/env python3
"""Regenerate requirements-lock.txt from the top-level pins in environment.yml (takes minutes)."""
import sys
from pathlib import Path

root = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(root / "src"))
from workbook.build.environment import write_lock  # noqa: E402

write_lock(root / "environment.yml", root / "requirements-lock.txt")
print("wrote requirements-lock.txt")
