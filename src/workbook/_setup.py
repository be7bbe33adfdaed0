"""The Setup cell every notebook starts with: seeds and the versions it was verified with."""
from __future__ import annotations

import importlib.metadata
import platform
import random

import numpy as np


def setup_notebook(*packages: str, seed: int = 42) -> dict[str, str]:
    """Seed Python's and NumPy's generators and print the versions this notebook uses.

    Args:
        *packages: distribution names whose versions matter to the notebook.
        seed: the seed for ``random`` and ``numpy.random``.

    Returns:
        ``{name: version}``, Python included.

    >>> versions = setup_notebook("pandas", seed=0)  # doctest: +ELLIPSIS
    Python ...
    """
    random.seed(seed)
    np.random.seed(seed)
    versions = {"python": platform.python_version()}
    versions.update({p: importlib.metadata.version(p) for p in packages})
    print(" · ".join(f"{name} {version}" for name, version in versions.items()))
    return versions
