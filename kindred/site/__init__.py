"""The Pelican layer: turns the validated Catalog into the website. It validates nothing of its
own; `PLUGINS = ["kindred.site"]` in the settings is all Pelican needs.

    plugin          register(): the signals that stage, check, index and publish a build
    settings        every KINDRED_* setting, its default and its check
    pages           the one list of pages the plugin writes
    pagination      lists of groups split into numbered pages
    facts           the facts a group's card and page lead with
    search_data     the finder's compact filter data and card chunks
    search_index    the Pagefind index, its completeness check and which entry is which group
    staging         private staging folders, the publish lock and the atomic swap
    feeds           sitemap.xml, robots.txt, the Atom feed
    jsonld          schema.org data on group pages
    handout         printed hand-outs: short web addresses, QR codes made at build time
    assets          the theme's scripts and style sheets minified in the output
    branding        an overlay's colours: the WCAG AA check and the stylesheet
    server_files    the security policy, and _headers, .htaccess and nginx.conf for servers
    content_check   unsafe markup in guidance refused with FILE:LINE
    markdown_links  external links in guidance get rel="noopener noreferrer"; a link to a
                    directory view of one filter value goes to that value's page
    devserver       `kindred serve`: the development server that rebuilds on changes
"""


def register() -> None:
    """Pelican's entry point. The plugin (and Pelican with it) is imported only here, so the
    commands that only read the catalog or the settings' defaults (`kindred validate`, `kindred
    stale`) start without loading Pelican."""
    from kindred.site.plugin import register as register_plugin

    register_plugin()
