"""Maintenance tools for contributors and editors, each behind a `kindred` command.

links, link_report   `kindred check-links`: is every listing's address still working?
stale_report         `kindred stale`: listings due for an editor's check
new_listing          `kindred new`: add a listing without touching the rest of the file
forms, fieldref      `kindred forms`: the issue form and CONTRIBUTING.md's field reference
export               `kindred export`: the open data files, without building the site
hsds_import          `kindred import hsds`: another directory's HSDS services as new listings
table                plain-text tables for reports
writing              a failed write named as one ("cannot write FILE")
synthetic            realistic synthetic catalogs for benchmarks and scale tests
"""
