"""Maintenance tools for contributors and editors, each behind a `kindred` command.

links, link_report   `kindred check-links`: is every listing's address still working?
stale_report         `kindred stale`: listings due for an editor's check
new_listing          `kindred new`: add a listing without touching the rest of the file
forms, fieldref      `kindred forms`: the issue form and CONTRIBUTING.md's field reference
table                plain-text tables for reports
synthetic            realistic synthetic catalogs for benchmarks and scale tests
"""
