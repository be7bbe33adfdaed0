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
# # Mock exam
#
# A timed exam in the format of the Google Cloud Professional Machine Learning Engineer exam:
# 50 questions (60 as an option) in 120 minutes, single and multiple choice, drawn without
# repeats in proportion to the exam guide's six sections. Move freely with **Previous** and
# **Next**, **Flag** questions to revisit, check the **Review** screen for unanswered and flagged
# ones, then **Submit**; at zero the exam is submitted for you. An exam in progress survives
# closing the notebook or restarting the kernel: run this notebook again to resume it.

# %% tags=["parameters"]
N_QUESTIONS = 50  # 50 like the real exam, or 60
MINUTES = 120
SEED = None  # set a number to get the same exam again (workshops)

# %%
from workbook.quiz import ProgressStore, load_bank
from workbook.quiz._trainer import ExamLauncher

bank = load_bank()
print(f"The bank holds {len(bank)} questions; exam guide version {bank.blueprint.version}.")
for d in bank.blueprint.domains:
    print(f"  {d.section}. {d.name:<66} {d.weight:>3.0f} %  {len(bank.select(domain=d.id)):>4} questions")

# %%
ExamLauncher(bank, ProgressStore(), n=N_QUESTIONS, minutes=MINUTES, seed=SEED)

# %% [markdown]
# The readiness line on the results page is **unofficial**: Google reports only pass or fail and
# publishes no passing score. Use the per-section scores to choose what to study next, and
# `quizzes/progress.ipynb` to watch them change.

# %% [markdown]
# <!-- NAV START -->
# [Contents](../chapters/00_start_here.ipynb)
# <!-- NAV END -->
