"""Sphinx extension for the gradlab book: small fixes and one convention of the rendered site.

Loaded by ``_config.yml`` (``sphinx: local_extensions``). It does three things:

1. **No script is written twice into a page.** Sphinx 7 keeps a script registered during
   ``env-before-read-docs`` twice: ``app.add_js_file(None, body=...)`` hands the builder a
   file name ``None``, and the builder re-adds the registry's copy before writing with the file
   name ``''``; the two compare unequal, so both are written. sphinx-thebe's inline
   ``const THEBE_JS_URL = ...`` is registered that way, and the second copy throws
   ``Identifier 'THEBE_JS_URL' has already been declared`` in every page's console (the
   togglebutton selector is duplicated the same way, silently, since it uses ``var``). Each page's
   script list is de-duplicated here, after every other extension has added its scripts.
2. **A widget says it is a snapshot.** The book shows each ipywidget with the state saved when
   the book was built; a short note under it says where it is live.
3. **An optional JupyterHub launch button.** A course that runs its own JupyterHub builds the
   book with ``GRADLAB_JUPYTERHUB_URL=https://hub.example.edu make book``; the launch menu then
   offers an nbgitpuller link to that hub. The public book has no hub, so no such button.
"""

from __future__ import annotations

import os

from docutils import nodes

WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = (
    "This widget shows the state saved when the book was built. To move it, open the page "
    "on Binder or Colab (launch menu at the top of the page) or run the notebook in your own "
    "Jupyter."
)
JUPYTERHUB_ENV = "GRADLAB_JUPYTERHUB_URL"


def _script_key(script) -> tuple:
    """Identity of a script tag: its source (``None`` and ``''`` both mean inline) and attributes."""
    filename = getattr(script, "filename", script) or ""
    attributes = getattr(script, "attributes", {}) or {}
    return (str(filename), tuple(sorted((k, str(v)) for k, v in attributes.items())))


def drop_duplicate_scripts(app, pagename, templatename, context, doctree) -> None:
    """Keep the first of each identical script in this page's list (see the module docstring)."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen = set()
    unique = []
    for script in scripts:
        key = _script_key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    # In place: the builder restores its own list after each page.
    scripts[:] = unique


def add_widget_notes(app, doctree, docname) -> None:
    """Put a one-line note under every widget view of a page."""
    for raw in list(doctree.findall(nodes.raw)):
        if WIDGET_VIEW_MIME not in raw.astext():
            continue
        note = nodes.paragraph(classes=["gradlab-widget-note"])
        note += nodes.emphasis(text=WIDGET_NOTE)
        raw.parent.insert(raw.parent.index(raw) + 1, note)


def add_jupyterhub_button(app, config) -> None:
    """Offer a JupyterHub (nbgitpuller) launch button when the build names a hub."""
    hub = os.environ.get(JUPYTERHUB_ENV, "").strip()
    if not hub:
        return
    if not hub.startswith("https://"):
        raise ValueError(f"{JUPYTERHUB_ENV} must be an https:// URL of a JupyterHub, got {hub!r}")
    config.html_theme_options.setdefault("launch_buttons", {})["jupyterhub_url"] = hub


def setup(app):
    app.connect("config-inited", add_jupyterhub_button)
    app.connect("doctree-resolved", add_widget_notes)
    # Late, so that the scripts added for this page by myst-nb and mathjax are already there.
    app.connect("html-page-context", drop_duplicate_scripts, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
