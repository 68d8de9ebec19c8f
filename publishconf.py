"""Pelican settings for publishing: absolute URLs from the SITEURL environment variable.

SITEURL may include a path, for hosting under an intranet sub-path:
    SITEURL=https://intranet.example/wellbeing/support pelican -s publishconf.py
"""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: F403

SITEURL = os.environ.get("SITEURL", "").rstrip("/")
RELATIVE_URLS = False
