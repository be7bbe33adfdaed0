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
# Contents · [01 · Foundations: MLOps and the ML system lifecycle](01_foundations.ipynb) →
# <!-- NAV END -->

# %% [markdown]
# # 00 · Start here
#
# A hands-on workbook for ML pipelines and architecture on Google Cloud: every idea is run on a
# real tool on your own machine, and every chapter ends with questions in the style of the
# **Google Cloud Professional Machine Learning Engineer** exam.

# %% [markdown]
# ## How to use it
#
# 1. **Read a chapter** and run every cell (*Run ▸ Run All Cells* works too). Each chapter runs
#    in about a minute on a laptop, entirely offline. Cells tagged `parameters` hold sizes you
#    can raise for the full-size run.
# 2. **Do the lab.** Fill in the cells marked `# TODO`; the check under each step says
#    ✅ passed, ⏳ not done yet, or ❌ what is wrong with a hint.
#    The worked solution is next to it when you are stuck.
# 3. **Check yourself** with the questions at the end of each section: every option explains
#    why it is right or wrong, and every answer is saved to your progress.
# 4. **Drill** the question bank in the quiz notebooks before the exam.
#
# Your answers are stored on your machine (run `.venv/bin/workbook where` to see the file);
# nothing leaves it. Notebooks write scratch files only to the git-ignored `scratch/` folder.

# %% [markdown]
# ## Contents
#
# <!-- CONTENTS START -->
# **Chapters**
#
# | # | Chapter | Lab | Solution | Questions |
# | --- | --- | --- | --- | --- |
# | 01 | [Foundations: MLOps and the ML system lifecycle](01_foundations.ipynb) | [lab](../labs/01_foundations.ipynb) | [solution](../solutions/01_foundations.ipynb) | 27 |
# | 02 | [Data pipelines: sources, formats, ETL/ELT](02_data_pipelines.ipynb) | [lab](../labs/02_data_pipelines.ipynb) | [solution](../solutions/02_data_pipelines.ipynb) | 28 |
# | 03 | [Sampling and class imbalance](03_sampling_imbalance.ipynb) | [lab](../labs/03_sampling_imbalance.ipynb) | [solution](../solutions/03_sampling_imbalance.ipynb) | 27 |
# | 04 | [Data leakage](04_leakage.ipynb) | [lab](../labs/04_leakage.ipynb) | [solution](../solutions/04_leakage.ipynb) | 26 |
# | 05 | [Feature stores with Feast](05_feature_stores.ipynb) | [lab](../labs/05_feature_stores.ipynb) | [solution](../solutions/05_feature_stores.ipynb) | 26 |
# | 06 | [Distributed processing with Spark and Beam](06_distributed_processing.ipynb) | [lab](../labs/06_distributed_processing.ipynb) | [solution](../solutions/06_distributed_processing.ipynb) | 30 |
# | 07 | Orchestration *(coming)* | | | |
# | 08 | [Experiments and reproducibility](08_experiments_reproducibility.ipynb) | [lab](../labs/08_experiments_reproducibility.ipynb) | [solution](../solutions/08_experiments_reproducibility.ipynb) | 24 |
# | 09 | Hyperparameter optimisation and fine-tuning *(coming)* | | | |
# | 10 | Compression and ONNX *(coming)* | | | |
# | 11 | Serving *(coming)* | | | |
# | 12 | Monitoring and continuous training *(coming)* | | | |
# | 13 | Cloud and GCP patterns *(coming)* | | | |
#
# **Quizzes and exam practice**
#
# - [Drill with spaced repetition](../quizzes/drill.ipynb)
# - [Instructor tools](../quizzes/instructor.ipynb)
# - [Mock exam](../quizzes/mock_exam.ipynb)
# - [Practice questions by chapter](../quizzes/practice.ipynb)
# - [Your progress](../quizzes/progress.ipynb)
# <!-- CONTENTS END -->

# %% [markdown]
# ## Your progress

# %%
from workbook.quiz import ProgressStore, load_bank, progress_text

print(progress_text(load_bank(), ProgressStore()))

# %% [markdown]
# ## The exam at a glance
#
# The exam guide's six sections and their weights; every question in the bank is tagged with one.

# %%
for d in load_bank().blueprint.domains:
    print(f"{d.section}. {d.name:<66} {d.weight:>4.0f} %")

# %% [markdown]
# <!-- NAV START -->
# Contents · [01 · Foundations: MLOps and the ML system lifecycle](01_foundations.ipynb) →
# <!-- NAV END -->
