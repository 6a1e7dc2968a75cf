"""The book's build inputs: configuration, citations, glossary, Binder files, publishing.

Quick checks that need no build (``make unit`` runs them). The built site itself is tested in a
browser by tests/test_site.py.
"""

from __future__ import annotations

import importlib.util
import re

import pytest
import yaml
from docutils import nodes
from notebook_tools import ROOT, read
from packaging.specifiers import SpecifierSet
from packaging.version import Version

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text())
CJK = re.compile(r"[\u4e00-\u9fff]")


def _makefile_variable(name: str) -> str:
    match = re.search(rf"^{name}\s*:=\s*(\S+)", (ROOT / "Makefile").read_text(), re.M)
    assert match, f"the Makefile defines no {name}"
    return match.group(1)


def _load_site_extension():
    spec = importlib.util.spec_from_file_location(
        "gradlab_site", ROOT / "book" / "_ext" / "gradlab_site.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---- configuration ----------------------------------------------------------------------------


def test_repository_is_named_once_and_branch_is_main():
    text = (ROOT / "_config.yml").read_text()
    url = CONFIG["repository"]["url"]
    assert url == "https://github.com/gradlab-course/gradlab"
    assert text.count("github.com/gradlab-course") == 1, "name the repository in one place only"
    assert CONFIG["repository"]["branch"] == "main"  # Jupyter Book's default is master


def test_launch_buttons_and_page_buttons_are_on():
    launch = CONFIG["launch_buttons"]
    assert launch["binderhub_url"] == "https://mybinder.org"
    assert launch["colab_url"] == "https://colab.research.google.com"
    assert launch["thebe"] is True
    assert launch["notebook_interface"] == "jupyterlab"
    html = CONFIG["html"]
    assert html["use_edit_page_button"] and html["use_issues_button"]
    assert (ROOT / CONFIG["logo"]).is_file() and (ROOT / html["favicon"]).is_file()
    assert "sphinx_exercise" in CONFIG["sphinx"]["extra_extensions"]
    # sphinx.config *replaces* Jupyter Book's values (launch buttons included) without this.
    assert CONFIG["sphinx"]["recursive_update"] is True


def test_scripts_are_served_from_the_site_not_a_cdn():
    sphinx = CONFIG["sphinx"]["config"]
    assert not (ROOT / "_static").exists(), (
        "a root _static/ folder makes Jupyter Book add each of its scripts to every page"
    )
    assert "_static" not in sphinx["html_static_path"]
    assert "://" not in sphinx["mathjax_path"]
    scripts = list(sphinx["nb_ipywidgets_js"])
    assert scripts and not [s for s in scripts if "://" in s]
    assert scripts[0].endswith("require.js") and scripts[-1].endswith("embed-amd.js")
    for name in scripts:
        if not name.startswith("npm/"):  # our own, from book/_assets
            assert (ROOT / "book" / "_assets" / name).is_file(), name
    assert _makefile_variable("VENDOR_STATIC").endswith("/static/npm")


def test_vendored_widget_manager_matches_the_pinned_ipywidgets():
    """ipywidgets names the html-manager range it renders with (a caret range: same major)."""
    from ipywidgets._version import __html_manager_version__

    wanted = __html_manager_version__.lstrip("^")
    vendored = Version(_makefile_variable("HTML_MANAGER_VERSION"))
    assert vendored.major == Version(wanted).major and vendored >= Version(wanted)
    # gradlab-widgets.js and mathjax3_config speak MathJax 3.
    assert Version(_makefile_variable("MATHJAX_VERSION")).major == 3


# ---- Binder and Colab -------------------------------------------------------------------------


def test_binder_reads_requirements_and_runtime_only():
    competing = [
        "binder",
        ".binder",
        "environment.yml",
        "Pipfile",
        "Pipfile.lock",
        "setup.py",
        "Dockerfile",
        "default.nix",
        "Project.toml",
    ]
    present = [name for name in competing if (ROOT / name).exists()]
    assert not present, f"repo2docker would read these instead of requirements.txt: {present}"
    requirements = (ROOT / "requirements.txt").read_text().splitlines()
    assert "-e ." in [line.strip() for line in requirements], "Binder installs gradlab from -e ."
    runtime = (ROOT / "runtime.txt").read_text().strip()
    assert re.fullmatch(r"python-3\.\d+", runtime)
    # repo2docker stops when runtime.txt contradicts pyproject.toml's requires-python.
    pyproject = (ROOT / "pyproject.toml").read_text()
    requires = re.search(r'requires-python\s*=\s*"([^"]+)"', pyproject).group(1)
    assert Version(runtime.removeprefix("python-")) in SpecifierSet(requires)


# ---- citations --------------------------------------------------------------------------------


def _bibliography():
    from pybtex.database import parse_file

    return parse_file(str(ROOT / CONFIG["bibtex_bibfiles"][0]))


def test_references_bib_has_complete_entries_for_the_course_sources():
    entries = _bibliography().entries
    for key, entry in entries.items():
        assert entry.persons.get("author"), f"{key}: no author"
        assert entry.fields.get("title") and entry.fields.get("year"), f"{key}: no title or year"
        assert entry.fields.get("url") or entry.fields.get("doi"), f"{key}: no url or doi"
    titles = " | ".join(entry.fields["title"] for entry in entries.values())
    for source in [
        "Computing Neural Network Gradients",  # the cs224n gradient notes
        "Matrix Differential Calculus",  # Magnus and Neudecker
        "The Matrix Cookbook",
        "The Matrix Calculus You Need For Deep Learning",  # Parr and Howard
        "Linear Classification",  # the cs231n notes
    ]:
        assert source in titles, f"references.bib lacks {source}"


def _markdown_sources():
    for path in sorted((ROOT / "book").glob("*.md")):
        yield path.name, path.read_text()
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = read(path).cells
        yield path.name, "\n".join(c.source for c in cells if c.cell_type == "markdown")


def test_every_citation_names_an_entry_of_references_bib():
    keys = set(_bibliography().entries.keys())
    cited = 0
    for name, text in _markdown_sources():
        for group in re.findall(r"\{cite(?::[a-z]+)?\}`([^`]+)`", text):
            for key in group.split(","):
                cited += 1
                assert key.strip() in keys, f"{name} cites {key.strip()!r}, not in references.bib"
    assert cited, "no page cites anything (book/references.md cites every source)"


def test_references_page_lists_the_whole_bibliography():
    text = (ROOT / "book" / "references.md").read_text()
    assert re.search(r"```\{bibliography\}\n:all:\n```", text)


# ---- glossary and table of contents -----------------------------------------------------------


def _glossary_entries() -> list[tuple[list[str], str]]:
    text = (ROOT / "book" / "glossary.md").read_text()
    block = re.search(r"```\{glossary\}\n(.*?)\n```", text, re.S).group(1)
    entries, terms, definition = [], [], []
    for line in block.splitlines():
        if line.startswith(":") or not line.strip():
            continue
        if line.startswith(" "):
            definition.append(line.strip())
            continue
        if definition:
            entries.append((terms, " ".join(definition)))
            terms, definition = [], []
        terms.append(line.strip())
    entries.append((terms, " ".join(definition)))
    return entries


def test_glossary_pairs_each_english_term_with_a_chinese_one():
    entries = _glossary_entries()
    assert len(entries) >= 30
    for terms, definition in entries:
        assert not CJK.search(terms[0]), f"{terms}: the English term comes first"
        assert any(CJK.search(t) for t in terms[1:]), f"{terms[0]}: no Chinese term"
        assert len(definition) > 20, f"{terms[0]}: no definition"
    all_terms = {t for terms, _ in entries for t in terms}
    for needed in [
        "维度相容原理",
        "雅可比矩阵",
        "分子布局",
        "分母布局",
        "梯度检查",
        "示性函数",
        "克罗内克积",
        "哈达玛积",
        "反向传播",
        "vec",
    ]:
        assert needed in all_terms, f"the glossary lacks {needed}"


def test_reference_part_comes_last_with_glossary_and_references():
    last = TOC["parts"][-1]
    assert last["caption"] == "Reference"
    files = [chapter["file"] for chapter in last["chapters"]]
    assert "book/glossary" in files and "book/references" in files


# ---- publishing -------------------------------------------------------------------------------


def test_pages_workflow_builds_with_the_readme_command_and_deploys():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text())
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads on: as True
    assert triggers["push"]["branches"] == ["main"]
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    runs = [step.get("run", "") for step in steps]
    assert any(run.strip() == "make book" for run in runs), "build with the README's command"
    assert "make book" in (ROOT / "README.md").read_text()
    uses = {step.get("uses", "").split("@")[0]: step for step in steps}
    assert uses["actions/upload-pages-artifact"]["with"]["path"] == "_build/html"
    assert "actions/deploy-pages" in uses
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}


# ---- the site extension (book/_ext/gradlab_site.py) -------------------------------------------


def test_duplicate_inline_scripts_are_written_once():
    from sphinx.builders.html._assets import _JavaScript

    site = _load_site_extension()
    thebe = 'const THEBE_JS_URL = "x"'
    scripts = [
        _JavaScript("_static/a.js"),
        _JavaScript(None, body=thebe),  # added during env-before-read-docs
        _JavaScript("", body=thebe),  # the registry's copy, re-added before writing
        _JavaScript("", body="var other = 1"),
        _JavaScript("_static/a.js"),
    ]
    context = {"script_files": scripts}
    site.drop_duplicate_scripts(None, "page", "page.html", context, None)
    assert context["script_files"] is scripts  # changed in place: the builder restores it
    assert [(s.filename, s.attributes.get("body")) for s in scripts] == [
        ("_static/a.js", None),
        (None, thebe),
        ("", "var other = 1"),
    ]


def test_each_widget_view_gets_the_live_elsewhere_note():
    site = _load_site_extension()
    doctree = nodes.section()
    output = nodes.container()
    view = '<script type="application/vnd.jupyter.widget-view+json">{"model_id": "m"}</script>'
    output += nodes.raw(text=view, format="html")
    output += nodes.raw(text="<p>not a widget</p>", format="html")
    doctree += output
    site.add_widget_notes(None, doctree, "page")
    kinds = [type(child).__name__ for child in output.children]
    assert kinds == ["raw", "paragraph", "raw"]
    note = output.children[1]
    assert "gradlab-widget-note" in note["classes"]
    assert "Binder" in note.astext() and "Colab" in note.astext()


class _Config:
    def __init__(self):
        self.html_theme_options = {"launch_buttons": {"binderhub_url": "https://mybinder.org"}}


def test_jupyterhub_button_comes_from_the_environment(monkeypatch):
    site = _load_site_extension()
    config = _Config()
    monkeypatch.delenv(site.JUPYTERHUB_ENV, raising=False)
    site.add_jupyterhub_button(None, config)
    assert "jupyterhub_url" not in config.html_theme_options["launch_buttons"]
    monkeypatch.setenv(site.JUPYTERHUB_ENV, "https://hub.example.edu")
    site.add_jupyterhub_button(None, config)
    assert config.html_theme_options["launch_buttons"] == {
        "binderhub_url": "https://mybinder.org",
        "jupyterhub_url": "https://hub.example.edu",
    }
    monkeypatch.setenv(site.JUPYTERHUB_ENV, "hub.example.edu")
    with pytest.raises(ValueError, match=r"GRADLAB_JUPYTERHUB_URL must be an https:// URL.*'hub"):
        site.add_jupyterhub_button(None, _Config())
