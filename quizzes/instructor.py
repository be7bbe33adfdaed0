# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (MLOps workbook)
#     language: python
#     name: mlops-workbook
# ---

# %% [markdown]
# <!-- NAV START -->
# [Contents](../chapters/00_start_here.ipynb)
# <!-- NAV END -->

# %%
# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (MLOps workbook)
#     language: python
#     name: mlops-workbook

# %% [markdown]
# # Instructor tools
#
# Running a workshop: give everyone the same quiz, collect their results, see which questions
# and which exam sections the class found hard, and print a quiz with its answer key. The same
# tools work from the terminal (`workbook export-results`, `class-report`, `print-quiz`,
# `export-anki`, `import-gift`, `import-jupyterquiz`).

# %% tags=["parameters"]
SEED = 42  # the workshop seed: same seed, same questions in the same order for everyone
CHAPTER = "02"
N_QUESTIONS = 8
EXPORTS = ""  # a folder with learners' exports (*.csv, *.json); empty: a simulated class of 12

# %%
import random
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt

import workbook
from workbook.quiz import ProgressStore, load_bank, workshop
from workbook.quiz._instructor import (
    domain_averages, export_results, load_exports, plot_class_report, question_difficulty, select_questions,
    write_printable_quiz,
)
from workbook.quiz._simulate import simulate_learner

bank = load_bank()
OUT = workbook.scratch_dir("instructor")

# %% [markdown]
# ## 1. The workshop quiz
#
# Every learner runs this cell with the same `SEED`: the same questions, in the same order, with
# the options in the same order, so you can discuss "option C" with the whole room.

# %%
workshop(SEED, chapter=CHAPTER, n=N_QUESTIONS, bank=bank)

# %% [markdown]
# ## 2. Collect results
#
# Each learner exports their answers (`workbook export-results -o yourname.json`, or the cell
# below) and sends you the file. Put the files in one folder and set `EXPORTS` to it.

# %%
mine = export_results(bank, ProgressStore(), OUT / "my_results.json")
print(f"Your own export: {workbook.shown_path(mine)}")

# %%
if EXPORTS:
    paths = sorted(Path(EXPORTS).glob("*.csv")) + sorted(Path(EXPORTS).glob("*.json"))
else:  # a simulated class: 12 learners of different skill drilling for two weeks
    rng = random.Random(SEED)
    paths = []
    for k in range(12):
        store = simulate_learner(bank, Path(tempfile.mkdtemp()) / "p.sqlite3", learner=f"learner{k:02d}", days=14,
                                 skill=rng.uniform(0.4, 0.85), seed=k)
        paths.append(export_results(bank, store, OUT / f"learner{k:02d}.json"))
results = load_exports(paths)
print(f"{results['learner'].nunique()} learners, {len(results)} answers")

# %% [markdown]
# ## 3. The class report
#
# Difficulty is the share of learners right at their **first** attempt (before practice); the
# most chosen wrong option shows the misconception to address.

# %%
difficulty = question_difficulty(results, bank)
difficulty.head(8).style.format({"share_correct": "{:.0%}", "distractor_share": "{:.0%}"})

# %%
sections = domain_averages(results, bank)
plot_class_report(difficulty, sections, bank)
plt.show()

# %% [markdown]
# ## 4. A printable quiz and its answer key
#
# Markdown and HTML (print it from the browser), options in the workshop order.

# %%
questions = select_questions(bank, chapter=CHAPTER, n=N_QUESTIONS, seed=SEED)
for path in write_printable_quiz(questions, OUT / "printable", title=f"Chapter {CHAPTER} quiz", seed=SEED):
    print(workbook.shown_path(path))

# %% [markdown]
# <!-- NAV START -->
# [Contents](../chapters/00_start_here.ipynb)
# <!-- NAV END -->
