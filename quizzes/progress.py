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
# # Your progress
#
# Mastery per exam section and per chapter (the share of questions whose latest answer is right),
# accuracy over time, the reviews coming due, and the exam tips you miss most, with the chapter
# that teaches each.

# %% tags=["parameters"]
DEMO = False  # True: show a simulated learner's three weeks instead of your own progress

# %%
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt

from workbook.quiz import ProgressStore, load_bank
from workbook.quiz._analytics import mastery, plot_dashboard, weakest_tips
from workbook.quiz._simulate import simulate_learner

bank = load_bank()
if DEMO:
    store = simulate_learner(bank, Path(tempfile.mkdtemp()) / "demo.sqlite3", days=21, weak_domain="pipelines")
else:
    store = ProgressStore()
print(f"{len(store.attempts())} answers recorded for {store.learner}.")

# %%
plot_dashboard(bank, store)
plt.show()

# %%
mastery(bank, store, "domain").style.format({"mastery": "{:.0%}"})

# %% [markdown]
# The exam tips you get wrong most often, and where to read up on them:

# %%
tips = weakest_tips(bank, store)
if tips.empty:
    print("Answer some questions first (in the chapters, a drill or a mock exam).")
else:
    from IPython.display import Markdown, display

    display(Markdown("\n".join(
        f"- **{r.tip}** ({r.accuracy:.0%} of {r.attempts}): {r.summary}" + (f" [Chapter]({r.chapter})" if r.chapter else "")
        for r in tips.itertuples())))

# %% [markdown]
# <!-- NAV START -->
# [Contents](../chapters/00_start_here.ipynb)
# <!-- NAV END -->
