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

# %% [markdown]
# # Drill with spaced repetition
#
# Questions come back just before you would forget them: the ones that are due first, then new
# ones up to a daily limit. Scheduling is FSRS (the algorithm behind modern Anki); a right answer
# counts as *Good*, a wrong one as *Again*. Every answer you give anywhere in the workbook counts.

# %% tags=["parameters"]
CHAPTERS = []  # e.g. ["02", "03"]; empty means every chapter
DOMAINS = []  # exam sections, e.g. ["pipelines"]; see quizzes/blueprint.yaml
TIPS = []  # exam tip ids, e.g. ["T004"]
NEW_PER_DAY = 20  # new questions introduced per day
RETENTION = 0.9  # desired probability of remembering a question when it is due (0.7 to 0.99)

# %%
from workbook.quiz import ProgressStore, load_bank
from workbook.quiz._drill import Drill
from workbook.quiz._trainer import DrillApp

bank = load_bank()
session = Drill(bank, ProgressStore(), chapters=CHAPTERS or None, domains=DOMAINS or None, tips=TIPS or None,
                new_per_day=NEW_PER_DAY, retention=RETENTION)
print(f"{len(session.questions)} questions in this selection; {len(session.queue())} to do now.")

# %%
DrillApp(session)

# %% [markdown]
# Press **Finish** for the session summary (answered, correct, what is still due and when the
# next review is). The same drill runs in a terminal: `.venv/bin/workbook drill --chapter 02`.

# %% [markdown]
# <!-- NAV START -->
# [Contents](../chapters/00_start_here.ipynb)
# <!-- NAV END -->
