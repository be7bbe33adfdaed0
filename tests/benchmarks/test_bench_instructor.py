"""Benchmark (reported, not asserted): aggregating 100 learners' exports into a class report (budget ≤ 5 s)."""
from __future__ import annotations

import json
import random

import matplotlib

from workbook.quiz._instructor import EXPORT_COLUMNS, load_exports, write_class_report

matplotlib.use("Agg")


def test_bench_class_report_100_learners(benchmark, bank, tmp_path):
    """Read 100 JSON exports (two attempts at each chapter-02 question each) and write the class report."""
    rng = random.Random(0)
    paths = []
    for k in range(100):
        attempts = []
        for q in bank:
            for t in range(2):
                correct = rng.random() < 0.6
                response = q.answer if q.type == "numeric" else (sorted(q.correct_indices) if correct else [0])
                attempts.append(dict(zip(EXPORT_COLUMNS, [f"l{k}", q.id, q.chapter, q.domain, " ".join(q.tips),
                                                          json.dumps(response), correct, "drill",
                                                          f"2027-01-0{t + 1}T10:00:00+00:00"])))
        path = tmp_path / f"l{k}.json"
        path.write_text(json.dumps({"format": "mlops-workbook results", "version": 1, "attempts": attempts}))
        paths.append(path)

    def report():
        return write_class_report(load_exports(paths), bank, tmp_path / "report")

    written = benchmark.pedantic(report, rounds=3, iterations=1)
    assert len(written) == 4
