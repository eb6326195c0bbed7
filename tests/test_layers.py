"""The layering is a fact: no module of the package imports from a layer above its own (a
function-level or TYPE_CHECKING import counts the same), and the support packages (the fake
web, the testing harnesses) are imported only by what they support."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "prospector"

# Bottom to top. A module may import from its own layer and the ones below.
LAYERS: list[set[str]] = [
    {"items", "urls", "verdict", "link_kind", "spreadsheet", "pids", "settings", "text", "shown", "columns",
     "errors", "stages", "tables", "progress", "stat_keys", "version", "workbooks"},
    {"net"},
    {"store", "inputs", "config", "authority", "backlinks", "backlink_import", "resource_score"},
    {"crawl"},
    {"match"},
    {"outreach", "export", "report"},
    {"cluster", "runner", "fetching", "summaries", "store_status", "workspace"},
    {"rechecking", "archiving"},
    {"campaign", "arguments", "demo", "finding", "lost_pages", "competitor", "deadsite"},
    {"cli", "__main__", "__init__"},  # the package: what `import prospector` gives
]
SUPPORT = {"fakeweb": {"demo", "fakeweb", "testing"}, "testing": {"testing"}}  # -> who in the package may import it


def unit(module: str) -> str:
    """prospector.crawl.archive -> crawl; prospector.campaign -> campaign."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def layer(name: str) -> int:
    return next(i for i, names in enumerate(LAYERS) if name in names)


def imports() -> list[tuple[str, str, int]]:
    """(importing module's unit, imported module, line) for every prospector import."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        module = ".".join(relative.parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "prospector":
                if node.module == "prospector" and [a.name for a in node.names] == ["__version__"]:
                    continue  # the version string, defined where the package is
                targets = [node.module] if node.module != "prospector" else [f"prospector.{a.name}"
                                                                             for a in node.names]
                found += [(unit(module), target, node.lineno) for target in targets]
            elif isinstance(node, ast.Import):
                found += [(unit(module), a.name, node.lineno) for a in node.names
                          if a.name.split(".")[0] == "prospector"]
    return [(source, target, line) for source, target, line in found if source and unit(target)]


def test_every_unit_has_a_layer() -> None:
    units = {path.stem if path.is_file() else path.name for path in PACKAGE.iterdir()
             if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").exists()}
    placed = set().union(*LAYERS) | set(SUPPORT)
    assert units - placed == set(), "give these a layer in LAYERS"


def test_no_module_imports_from_a_layer_above() -> None:
    upward = [f"{source} imports {target}" for source, target, _ in imports()
              if unit(target) not in SUPPORT and source not in SUPPORT and layer(unit(target)) > layer(source)]
    assert upward == []


def test_support_packages_are_imported_only_by_what_they_support() -> None:
    misused = [f"{source} imports {target}" for source, target, _ in imports()
               if unit(target) in SUPPORT and source not in SUPPORT[unit(target)] | {unit(target)}]
    assert misused == []


def test_the_checker_sees_an_upward_import() -> None:
    """The rules catch what they are for: crawl (3) importing match (4) is upward."""
    assert layer("match") > layer("crawl") and layer("campaign") > layer("store")
    assert ("crawl", "prospector.crawl.extract") in {(s, t) for s, t, _ in imports()}  # imports are read at all
