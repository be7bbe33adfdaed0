"""``python -m workbook.build {labs,nav,notebooks,regen,check}``: the maintenance commands."""
from __future__ import annotations

import argparse
import sys

from workbook._paths import REPO_ROOT
from workbook.build import execute, labs, navigation, notebooks


def _selected(names: list[str]) -> list[notebooks.Notebook] | None:
    if not names:
        return None
    chosen = [nb for nb in notebooks.notebooks() if any(n in nb.rel for n in names)]
    if not chosen:
        sys.exit(f"no notebook matches {names}")
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workbook.build", description=__doc__)
    parser.add_argument("command", choices=["labs", "nav", "notebooks", "regen", "check"])
    parser.add_argument("only", nargs="*", help="notebooks command: only notebooks whose path contains one of these")
    args = parser.parse_args(argv)
    if args.command in ("labs", "regen"):
        for path in labs.write_labs():
            print(f"lab written: {path.relative_to(REPO_ROOT)}")
    if args.command in ("labs", "nav", "regen"):
        for path in navigation.write_navigation():
            print(f"navigation updated: {path.relative_to(REPO_ROOT)}")
    if args.command in ("notebooks", "regen"):
        execute.build(_selected(args.only))
    if args.command == "check":
        stale = labs.stale_labs() + navigation.stale_navigation()
        for path in stale:
            print(f"stale: {path.relative_to(REPO_ROOT)}  (run `make regen`)")
        return 1 if stale else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
