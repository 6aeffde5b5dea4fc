"""The browser checks need Playwright for Python, which is not a drillsim dependency
(``pip install playwright``; it drives the system Chromium, it downloads no browser).
Without it this folder is not collected: the slow suite runs it only when Playwright is
installed."""
from importlib.util import find_spec

collect_ignore_glob = [] if find_spec("playwright") else ["test_*.py"]
