"""Sentinel: the notebooks are re-executed under nbval only with the quick flag.

Without LESSON_QUICK=1 every notebook would train for minutes; a misconfigured run
stops here at once. To refresh the stored outputs with a real run, use
`python scripts/refresh_notebooks.py`, which does not go through pytest.
"""

import os

import pytest


def pytest_configure(config):
    runs_notebooks = config.getoption("nbval", False) or config.getoption("nbval_lax", False)
    if runs_notebooks and os.environ.get("LESSON_QUICK") != "1":
        raise pytest.UsageError(
            "The notebooks are tested under LESSON_QUICK=1 (1 epoch, small data); it is "
            f"{os.environ.get('LESSON_QUICK', 'unset')!r}. Run: LESSON_QUICK=1 python -m pytest "
            "--nbval-lax --nbval-current-env notebooks/"
        )
