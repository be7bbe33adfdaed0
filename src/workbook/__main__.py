"""The ``workbook`` command: ``drill``, ``progress``, ``where``, ``reset-progress``."""
from __future__ import annotations

import argparse
import sys

from workbook.quiz import ProgressStore, load_bank, progress_text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="workbook", description="The MLOps workbook's command line.")
    sub = parser.add_subparsers(dest="command", required=True)
    drill = sub.add_parser("drill", help="a spaced-repetition drill in the terminal")
    drill.add_argument("--chapter", action="append", help="a chapter number, e.g. 02 (repeatable)")
    drill.add_argument("--domain", action="append", help="an exam section id, e.g. pipelines (repeatable)")
    drill.add_argument("--tip", action="append", help="an exam tip id, e.g. T004 (repeatable)")
    drill.add_argument("--new", type=int, default=20, help="new questions per day (default 20)")
    drill.add_argument("--retention", type=float, default=0.9, help="desired retention (default 0.9)")
    drill.add_argument("--limit", type=int, help="ask at most this many questions now")
    sub.add_parser("progress", help="answered and correct questions per chapter")
    sub.add_parser("where", help="print the path of the progress store")
    sub.add_parser("reset-progress", help="move the progress store aside (kept as a backup) and start afresh")
    args = parser.parse_args(argv)
    if args.command == "drill":
        from workbook.quiz._terminal import main_drill

        return main_drill(args)
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
