"""Draw the book's logo and favicon: a nabla (the gradient) with a check mark (the proof).

    python scripts/draw_logo.py      # writes book/_assets/logo.svg and book/_assets/favicon.png

Deterministic: SVG metadata and ids carry no date or random salt, so a re-run changes nothing.
"""

from __future__ import annotations

import pathlib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyBboxPatch, Polygon  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parents[1] / "book" / "_assets"
BLUE = "#1f5fa8"
GREEN = "#2e9d4a"
PAPER = "#f4f7fb"


def draw(ax, *, background: bool) -> None:
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.axis("off")
    if background:
        ax.add_patch(FancyBboxPatch((0.03, 0.03), 0.94, 0.94, boxstyle="round,pad=0,rounding_size=0.18",
                                    facecolor=PAPER, edgecolor=BLUE, linewidth=3))
    # The nabla: a downward triangle drawn as a thick outline.
    ax.add_patch(Polygon([(0.14, 0.82), (0.80, 0.82), (0.47, 0.18)], closed=True, fill=False,
                         edgecolor=BLUE, linewidth=11, joinstyle="round"))
    # The check mark, crossing the lower right edge: the gradient, proven.
    ax.plot([0.50, 0.64, 0.92], [0.42, 0.26, 0.62], color="white", linewidth=20,
            solid_capstyle="round", solid_joinstyle="round")
    ax.plot([0.50, 0.64, 0.92], [0.42, 0.26, 0.62], color=GREEN, linewidth=11,
            solid_capstyle="round", solid_joinstyle="round")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    plt.rcParams["svg.hashsalt"] = "gradlab"
    fig = plt.figure(figsize=(2, 2))
    draw(fig.add_axes((0, 0, 1, 1)), background=False)
    fig.savefig(OUT / "logo.svg", transparent=True, metadata={"Date": None, "Creator": None})
    plt.close(fig)

    fig = plt.figure(figsize=(1, 1), dpi=64)
    ax = fig.add_axes((0, 0, 1, 1))
    draw(ax, background=True)
    for artist in ax.patches[1:] + ax.lines:  # thinner strokes read better at 64 px
        artist.set_linewidth(artist.get_linewidth() * 0.55)
    fig.savefig(OUT / "favicon.png", transparent=True, metadata={"Software": None})
    plt.close(fig)
    print(f"wrote {OUT / 'logo.svg'} and {OUT / 'favicon.png'}")


if __name__ == "__main__":
    main()
