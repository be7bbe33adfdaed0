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
# # Practice questions by chapter
#
# Every question of one chapter (or one exam tip), with feedback on every option; your answers
# are saved to your progress. Set `CHAPTER` (or `TIP`) below and run all cells.

# %% tags=["parameters"]
CHAPTER = "02"  # a two-digit chapter number
TIP = ""  # or an exam tip id such as "T004" to practise only its questions

# %%
from workbook.quiz import ProgressStore, ask, load_bank, progress_text

bank = load_bank()
print("Chapters with questions:", ", ".join(bank.chapters))
print(progress_text(bank, ProgressStore()))

# %%
if TIP:
    print(f"{TIP}: {bank.tips[TIP].summary}")
    questions = [q.id for q in bank.select(tip=TIP)]
else:
    questions = [q.id for q in bank.select(chapter=CHAPTER)]
print(f"{len(questions)} questions")

# %%
ask(*questions, bank=bank, title=f"Practice: {TIP or 'chapter ' + CHAPTER}")

# %% [markdown]
# <!-- NAV START -->
# [Contents](../chapters/00_start_here.ipynb)
# <!-- NAV END -->
