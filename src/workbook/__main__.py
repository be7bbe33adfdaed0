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
    exp = sub.add_parser("export-results", help="write your answers to a CSV or JSON file (for an instructor)")
    exp.add_argument("-o", "--output", required=True, help="results.csv or results.json")
    rep = sub.add_parser("class-report", help="aggregate learners' exports into a class report")
    rep.add_argument("exports", nargs="+", help="exported .csv/.json files")
    rep.add_argument("-o", "--output", required=True, help="folder for the report")
    pq = sub.add_parser("print-quiz", help="a printable quiz (Markdown and HTML) and its answer key")
    pq.add_argument("--chapter")
    pq.add_argument("--domain")
    pq.add_argument("-n", type=int, help="a random set of this many questions")
    pq.add_argument("--seed", type=int, default=0, help="the same seed gives the same quiz (workshop mode)")
    pq.add_argument("-o", "--output", required=True, help="folder for quiz.* and answer_key.*")
    for fmt in ("gift", "jupyterquiz"):
        imp = sub.add_parser(f"import-{fmt}", help=f"convert {fmt} questions into a bank YAML file")
        imp.add_argument("source")
        imp.add_argument("--chapter", required=True)
        imp.add_argument("--domain", required=True, help="exam section id (quizzes/blueprint.yaml)")
        imp.add_argument("--difficulty", default="medium", choices=["easy", "medium", "hard"])
        imp.add_argument("--tip", action="append", default=[], help="exam tip id to cite (repeatable)")
        imp.add_argument("-o", "--output", required=True, help="quizzes/bank/NN_topic.yaml")
    anki = sub.add_parser("export-anki", help="an Anki deck (.apkg) of the bank or a chapter")
    anki.add_argument("--chapter")
    anki.add_argument("-o", "--output", required=True, help="deck.apkg")
    sub.add_parser("where", help="print the path of the progress store")
    sub.add_parser("reset-progress", help="move the progress store aside (kept as a backup) and start afresh")
    args = parser.parse_args(argv)
    if args.command == "drill":
        from workbook.quiz._terminal import main_drill

        return main_drill(args)
    if args.command in ("import-gift", "import-jupyterquiz", "export-anki", "class-report", "print-quiz"):
        return _bank_tools(args)
    store = ProgressStore()
    if args.command == "export-results":
        from workbook.quiz._instructor import export_results

        print(f"wrote {export_results(load_bank(), store, args.output)}")
    if args.command == "where":
        print(store.path)
    elif args.command == "progress":
        print(progress_text(load_bank(), store))
    elif args.command == "reset-progress":
        backup = store.backup_and_reset()
        print(f"Progress moved to {backup}; a new store starts with your next answer." if backup
              else f"No progress store at {store.path}; nothing to reset.")
    return 0


def _bank_tools(args) -> int:
    from pathlib import Path

    from workbook._paths import BANK_DIR
    from workbook.quiz import BankError
    from workbook.quiz import _convert, _instructor

    if args.command == "export-anki":
        questions = load_bank().select(chapter=args.chapter)
        print(f"wrote {_convert.export_anki(questions, args.output)} ({len(questions)} notes)")
        return 0
    if args.command == "class-report":
        bank = load_bank()
        for path in _instructor.write_class_report(_instructor.load_exports(args.exports), bank, args.output):
            print(f"wrote {path}")
        return 0
    if args.command == "print-quiz":
        questions = _instructor.select_questions(load_bank(), chapter=args.chapter, domain=args.domain, n=args.n,
                                                 seed=args.seed)
        title = f"Quiz: {'chapter ' + args.chapter if args.chapter else args.domain or 'all chapters'}"
        for path in _instructor.write_printable_quiz(questions, args.output, title=title, seed=args.seed):
            print(f"wrote {path}")
        return 0
    text = Path(args.source).read_text(encoding="utf-8")
    options = dict(chapter=args.chapter, domain=args.domain, difficulty=args.difficulty, tips=args.tip,
                   source=f"imported from {Path(args.source).name}")
    parse = _convert.parse_gift if args.command == "import-gift" else _convert.parse_jupyterquiz
    report = parse(text, **options)
    print(report)
    out = Path(args.output)
    yaml_text = _convert.bank_yaml(args.chapter, report.questions, f"Imported from {Path(args.source).name}")
    try:
        _convert.validate_with_bank(yaml_text, out.name, BANK_DIR)
    except BankError as exc:
        print(f"error: the converted questions do not validate; nothing written.\n{exc}", file=sys.stderr)
        return 1
    out.write_text(yaml_text)
    print(f"wrote {out} (validated with the bank)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
