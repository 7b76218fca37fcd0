"""Imported by the forkserver process only (tracker/readers.py): it loads and warms the
analysis once, so that every worker forked from it starts warm instead of loading
dateparser's data and compiling patterns for itself."""

from tracker.readers import warm

warm()
