"""The rostering optimizer: plain data in, a roster out.

This package is pure Python plus a solving library. It never imports Django or another
coopcare app (an import-linter contract in pyproject.toml checks this), so it can be tested,
benchmarked and reused on its own.
"""
