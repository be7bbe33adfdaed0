"""The ``workbook`` command: ``workbook progress``, ``workbook where``, ``workbook reset-progress``."""
from __future__ import annotations

import argparse
import sys

from workbook.quiz import ProgressStore, load_bank, progress_text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="workbook", description="The MLOps workbook's command line.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("progress", help="answered and correct questions per chapter")
    sub.add_parser("where", help="print the path of the progress store")
    sub.add_parser("reset-progress", help="move the progress store aside (kept as a backup) and start afresh")
    args = parser.parse_args(argv)
    store = ProgressStore()
    if args.command == "where":
        print(store.path)
    elif args.command == "progress":
        print(progress_text(load_bank(), store))
    elif args.command == "reset-progress":
        backup = store.backup_and_reset()
        print(f"Progress moved to {backup}; a new store starts with your next answer." if backup
              else f"No progress store at {store.path}; nothing to reset.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
