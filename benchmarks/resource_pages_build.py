"""How tests/data/resource_pages/ was made (run once, by hand; not part of the suite or CI).

Real pages of real sites, each kept with its licence, for fitting and measuring the
resource-page score (prospector/resource_score.py). Three sources are rendered here from the
public repositories they are published from (markdown, as the sites render it, shortcodes and
Liquid tags dropped), at the commits named in tests/data/resource_pages/README.md; the three
sites of tests/data/match_dev* are used where they are. The labels (labels.csv) were written by
reading each page: a resource page is one whose main purpose is to send readers to other sites'
resources — lists of links, tools, tutorials, providers, community places.

    pip install --target /tmp/mditlib mdit-py-plugins   # definition lists, as Hugo renders them
    PYTHONPATH=/tmp/mditlib python benchmarks/resource_pages_build.py /work/.mirror
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

from markdown_it import MarkdownIt
from mdit_py_plugins.deflist import deflist_plugin

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "resource_pages"
# site folder -> (mirror, its base URL, licence file in the repository, {path in repo: URL path})
HUGO = "gohugoio+hugoDocs"
JEKYLL = "jekyll+jekyll"
HUGO_PAGES = [
    "content/en/tools/editors.md", "content/en/tools/front-ends.md", "content/en/tools/migrations.md",
    "content/en/tools/other.md", "content/en/tools/search.md",
    "content/en/getting-started/external-learning-resources/index.md",
    "content/en/about/features.md", "content/en/about/introduction.md", "content/en/about/security.md",
    "content/en/configuration/build.md", "content/en/configuration/caches.md", "content/en/configuration/menus.md",
    "content/en/configuration/markup.md", "content/en/configuration/privacy.md",
    "content/en/configuration/services.md", "content/en/content-management/comments.md",
    "content/en/content-management/diagrams.md", "content/en/content-management/mathematics.md",
    "content/en/content-management/multilingual.md", "content/en/content-management/shortcodes.md",
    "content/en/content-management/summaries.md", "content/en/content-management/urls.md",
    "content/en/contribute/development.md", "content/en/contribute/themes.md",
    "content/en/getting-started/directory-structure.md", "content/en/getting-started/quick-start.md",
    "content/en/getting-started/usage.md", "content/en/host-and-deploy/host-on-netlify/index.md",
    "content/en/host-and-deploy/host-on-github-pages/index.md", "content/en/host-and-deploy/deploy-with-rsync.md",
]
JEKYLL_PAGES = [
    "docs/pages/resources.md", "docs/_docs/deployment/third-party.md", "docs/_docs/community/community.md",
    "docs/_docs/assets.md", "docs/_docs/collections.md", "docs/_docs/configuration/options.md",
    "docs/_docs/datafiles.md", "docs/_docs/deployment/automated.md", "docs/_docs/deployment/manual.md",
    "docs/_docs/front-matter.md", "docs/_docs/github-pages.md", "docs/_docs/includes.md",
    "docs/_docs/installation/macos.md", "docs/_docs/layouts.md", "docs/_docs/liquid/filters.md",
    "docs/_docs/pagination.md", "docs/_docs/permalinks.md", "docs/_docs/plugins/your-first-plugin.md",
    "docs/_docs/posts.md", "docs/_docs/security.md", "docs/_docs/step-by-step/01-setup.md",
    "docs/_docs/step-by-step/08-blogging.md", "docs/_docs/continuous-integration/github-actions.md",
    "docs/_docs/maintaining/avoiding-burnout.md", "docs/_docs/contributing.md",
]
AWESOME = [  # (mirror, file, site, URL path): each list as the site that publishes it shows it
    ("sindresorhus+awesome", "readme.md", "awesome.re", "/"),
    ("sindresorhus+awesome", "contributing.md", "awesome.re", "/contributing/"),
    ("sindresorhus+awesome", "code-of-conduct.md", "awesome.re", "/code-of-conduct/"),
    ("sindresorhus+awesome", "create-list.md", "awesome.re", "/create-list/"),
    ("sindresorhus+awesome", "awesome.md", "awesome.re", "/manifesto/"),
    ("vinta+awesome-python", "README.md", "awesome-python.com", "/"),
    ("vinta+awesome-python", "CONTRIBUTING.md", "awesome-python.com", "/contributing/"),
    ("awesome-selfhosted+awesome-selfhosted", "README.md", "awesome-selfhosted.net", "/"),
    ("awesome-selfhosted+awesome-selfhosted", "non-free.md", "awesome-selfhosted.net", "/non-free/"),
    ("marcobiedermann+search-engine-optimization", "readme.md", "github.com",
     "/marcobiedermann/search-engine-optimization/"),
]
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
TEMPLATE_TAGS = re.compile(r"\{\{[<%].*?[%>]\}\}|\{%.*?%\}|\{\{.*?\}\}", re.S)


def show(mirror: Path, repo: str, path: str) -> str:
    return subprocess.run(["git", "-C", str(mirror / repo / "repo"), "show", f"HEAD:{path}"], check=True,
                          capture_output=True, text=True).stdout


def render(markdown: str, fallback_title: str, definition_lists: bool = False) -> str:
    """As the site renders it: Hugo's Goldmark turns "term / : definition" into a definition
    list; Jekyll's kramdown and GitHub do not."""
    found = FRONT_MATTER.match(markdown)
    meta, body = (found.group(1), markdown[found.end():]) if found else ("", markdown)
    title = next((line.split(":", 1)[1].strip().strip("'\"") for line in meta.splitlines()
                  if line.startswith("title:")), "")
    body = TEMPLATE_TAGS.sub("", body)
    if not title:
        heading = re.search(r"^#\s+(.+)$", body, re.M)
        title = heading.group(1).strip() if heading else fallback_title
    parser = MarkdownIt("commonmark", {"html": False}).enable("table")
    if definition_lists:
        parser = parser.use(deflist_plugin)
    content = parser.render(body)
    return (f"<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title></head>\n"
            f"<body><main>\n{content}</main></body></html>\n")


def url_path(repo_path: str, strip: str) -> str:
    path = repo_path.removeprefix(strip).removesuffix(".md").removesuffix("/index")
    return f"/{path}/"


def main(mirror: Path) -> None:
    for site, repo, pages, strip in (("gohugo.io", HUGO, HUGO_PAGES, "content/en/"),
                                     ("jekyllrb.com", JEKYLL, JEKYLL_PAGES, "docs/_docs/")):
        for page in pages:
            target = OUT / site / url_path(page.replace("docs/pages/", "docs/_docs/"), strip).strip("/")
            target.mkdir(parents=True, exist_ok=True)
            html_text = render(show(mirror, repo, page), page, definition_lists=repo == HUGO)
            (target / "index.html").write_text(html_text, encoding="utf-8")
    for repo, page, site, path in AWESOME:
        target = OUT / site / path.strip("/") if path != "/" else OUT / site
        target.mkdir(parents=True, exist_ok=True)
        (target / "index.html").write_text(render(show(mirror, repo, page), page), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
