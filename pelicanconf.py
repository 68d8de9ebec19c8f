"""Pelican settings for development: relative URLs, so the output works from any folder.

`pelican` with this file builds the whole site, search index included. Override the catalog
with `pelican -e KINDRED_GROUPS='"path/to/groups.yaml"'`.
"""

AUTHOR = "Kindred"
SITENAME = "Kindred"
SITE_TAGLINE = "Find an online support group that fits you"
SITEURL = ""
RELATIVE_URLS = True

PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
THEME_STATIC_DIR = "theme"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%-d %B %Y"

PLUGINS = ["kindred.site"]

# The catalog (see data/): the plugin validates it and renders the directory from it.
KINDRED_GROUPS = "data/groups.yaml"
KINDRED_TAXONOMY = "data/taxonomy.yaml"
KINDRED_HELPLINES = "data/helplines.yaml"
# Where "Report a problem with this listing" and "Suggest a group" lead; {id} is the listing id.
KINDRED_REPOSITORY_URL = "https://github.com/kindred-directory/kindred"
KINDRED_REPORT_URL = (
    KINDRED_REPOSITORY_URL + "/issues/new?template=report-a-problem.yml&listing={id}"
    "&title=Problem+with+listing+{id}"
)
# Listings whose last_verified date is older than this are shown with a gentle note.
KINDRED_STALE_DAYS = 180
# Lists of groups (the directory, each facet value) show this many to a page; every group
# stays reachable without JavaScript through the numbered pages.
KINDRED_PAGE_SIZE = 20
# An employer's own Employee Assistance Programme, shown under the crisis line on every page.
# For example: {"name": "Acme EAP", "phone": "0800 000 000", "url": "https://...", "note": "..."}
KINDRED_EAP = None
# Hosts that guidance pages may link to besides the listings' own sites.
KINDRED_EXTERNAL_HOSTS = [
    "doi.org",
    "jmir.org",
    "findahelpline.com",
    "www.bbc.co.uk",
    "openreferral.org",
    "creativecommons.org",
]

# Guidance articles and pages live at stable, directory-style URLs.
ARTICLE_PATHS = ["guidance"]
ARTICLE_URL = "guidance/{slug}/"
ARTICLE_SAVE_AS = "guidance/{slug}/index.html"
PAGE_PATHS = ["pages"]
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
ARTICLE_ORDER_BY = "order"

# Only the home page from Pelican's direct templates; the plugin renders the rest.
DIRECT_TEMPLATES = ["index"]
INDEX_SAVE_AS = "index.html"
DEFAULT_PAGINATION = False
for _kind in ("CATEGORY", "CATEGORIES", "TAG", "TAGS", "AUTHOR", "AUTHORS", "ARCHIVES"):
    globals()[f"{_kind}_SAVE_AS"] = ""
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# Every catalog value is escaped in templates; only rendered Markdown is marked safe.
JINJA_ENVIRONMENT = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True}
MARKDOWN = {
    "extensions": ["kindred.site.markdown_links"],
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.toc": {"permalink": False},
    },
    "output_format": "html5",
}
DELETE_OUTPUT_DIRECTORY = False  # the plugin builds into a fresh folder and swaps it in
