"""Benchmarks (reported, not asserted) for the exam trainer. Budgets from the issue: drawing a
60-question exam from a 300+ question bank ≤ 200 ms; the progress dashboard ≤ 3 s."""
from __future__ import annotations

import dataclasses

import matplotlib

from workbook.quiz import draw_exam
from workbook.quiz._analytics import plot_dashboard
from workbook.quiz._bank import Bank
from workbook.quiz._simulate import simulate_learner

matplotlib.use("Agg")


def test_bench_draw_60_of_300(benchmark, bank):
    """Draw a stratified 60-question exam from a 336-question bank."""
    big = Bank([dataclasses.replace(q, id=f"{q.id}-{d.id}-{k}", domain=d.id)
                for d in bank.blueprint.domains for k in range(2) for q in bank], bank.blueprint, bank.tips)
    questions, _ = benchmark(draw_exam, big, 60, 1)
    assert len(big) >= 300 and len(questions) == 60


def test_bench_dashboard(benchmark, bank, tmp_path):
    """Compute and draw the progress dashboard for a learner with three weeks of drills."""
    store = simulate_learner(bank, tmp_path / "p.sqlite3", days=21)

    def dashboard():
        fig = plot_dashboard(bank, store)
        fig.canvas.draw()
        matplotlib.pyplot.close(fig)

    benchmark.pedantic(dashboard, rounds=3, iterations=1)
