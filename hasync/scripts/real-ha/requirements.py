"""Prints the pip requirements of the integrations a Home Assistant config loads, one per line.

With --import, imports each of those integrations instead (an install check).

Run with the virtualenv's python after `pip install homeassistant==X`. Arguments are the top-level
domains of configuration.yaml. The loaded set is those domains, the ones bootstrap always sets up
(HA: homeassistant/bootstrap.py CORE_INTEGRATIONS and DEFAULT_INTEGRATIONS, see _get_domains),
the platforms and helpers `demo` sets up (HA: homeassistant/components/demo/__init__.py), closed over each
manifest's `dependencies` and `after_dependencies`: HA's own installer processes both (HA:
homeassistant/requirements.py _async_process_integration), and modules import from their
after-dependencies (analytics imports recorder, which needs SQLAlchemy). Pins come from the
installed manifests, never from a guess.
"""

import ast
import importlib
import json
import os
import sys

import homeassistant

HA_DIR = os.path.dirname(homeassistant.__file__)
COMPONENTS = os.path.join(HA_DIR, "components")
BOOTSTRAP_SETS = ("CORE_INTEGRATIONS", "DEFAULT_INTEGRATIONS")
DEMO_LISTS = ("COMPONENTS_WITH_CONFIG_ENTRY_DEMO_PLATFORM", "COMPONENTS_WITH_DEMO_PLATFORM")


def module_assignments(path: str) -> dict[str, ast.expr]:
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    found: dict[str, ast.expr] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                found[target.id] = node.value
    return found


def string_elements(node: ast.expr) -> set[str]:
    """Strings of a set/list literal; `Platform.LIGHT` counts as "light"."""
    names: set[str] = set()
    for element in getattr(node, "elts", []):
        if isinstance(element, ast.Constant) and isinstance(element.value, str):
            names.add(element.value)
        elif isinstance(element, ast.Attribute):
            names.add(element.attr.lower())
    return names


def demo_setup_domains(path: str) -> set[str]:
    """Domains demo/__init__.py sets up itself: async_setup_component(hass, "<domain>", ...)."""
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    domains: set[str] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "async_setup_component"
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
        ):
            domains.add(node.args[1].value)
    return domains


def manifest(domain: str) -> dict | None:
    path = os.path.join(COMPONENTS, domain, "manifest.json")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def main() -> None:
    args = sys.argv[1:]
    check_imports = "--import" in args
    wanted = {arg for arg in args if arg != "--import"}
    bootstrap = module_assignments(os.path.join(HA_DIR, "bootstrap.py"))
    for name in BOOTSTRAP_SETS:
        wanted |= string_elements(bootstrap[name])
    if "demo" in wanted:
        demo_init = os.path.join(COMPONENTS, "demo", "__init__.py")
        demo = module_assignments(demo_init)
        for name in DEMO_LISTS:
            wanted |= string_elements(demo[name])
        wanted |= demo_setup_domains(demo_init)
    loaded: set[str] = set()
    requirements: set[str] = set()
    queue = sorted(wanted)
    while queue:
        domain = queue.pop()
        if domain in loaded:
            continue
        info = manifest(domain)
        if info is None:
            # An after-dependency that does not exist is ignored, as HA's installer does.
            continue
        loaded.add(domain)
        requirements.update(info.get("requirements", []))
        queue.extend(info.get("dependencies", []))
        queue.extend(info.get("after_dependencies", []))
    sys.stderr.write(f"integrations and after-dependencies: {' '.join(sorted(loaded))}\n")
    if check_imports:
        for domain in sorted(loaded):
            importlib.import_module(f"homeassistant.components.{domain}")
        # Imported lazily by the http integration on each request (http/forwarded.py).
        importlib.import_module("hass_nabucasa")
        return
    for requirement in sorted(requirements, key=str.lower):
        print(requirement)


main()
