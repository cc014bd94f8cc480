"""Greedy label placement for person maps: labels beside markers, few overlaps.

Each label tries eight positions around its marker, starting with the direction
pointing away from its organisation's centre, and takes the first one that hits
no marker, no earlier label and stays inside the axes, preferring among those a
spot with no other person's marker within 7 points (a name nearer someone else
reads as theirs). Labels are placed in
priority order; when none fits, a required label takes its least-crowded spot and
an optional one (maps above ``max_labels`` people) is left out.
"""

from __future__ import annotations

from functools import cache, lru_cache

import numpy as np

from ._common import text_backing


@cache
def _text_to_path():
    from matplotlib.textpath import TextToPath

    return TextToPath()


@lru_cache(maxsize=4096)  # each label is measured once per panel of a figure
def _text_size_pt(text: str, fontsize: float) -> tuple[float, float]:
    from matplotlib.font_manager import FontProperties

    w, h, _ = _text_to_path().get_text_width_height_descent(text, FontProperties(size=fontsize), ismath=False)
    return float(w), float(max(h, fontsize * 0.9))


def _overlap(box, boxes: np.ndarray) -> np.ndarray:
    """Overlap areas of ``box`` (x0, y0, x1, y1) with each row of ``boxes``."""
    if len(boxes) == 0:
        return np.zeros(0)
    w = np.minimum(box[2], boxes[:, 2]) - np.maximum(box[0], boxes[:, 0])
    h = np.minimum(box[3], boxes[:, 3]) - np.maximum(box[1], boxes[:, 1])
    return np.clip(w, 0, None) * np.clip(h, 0, None)


def _crowding(box, markers: np.ndarray, clear: float) -> float:
    """How far markers intrude into a ``clear``-pixel margin around ``box``."""
    gx = np.maximum(np.maximum(markers[:, 0] - box[2], box[0] - markers[:, 2]), 0)
    gy = np.maximum(np.maximum(markers[:, 1] - box[3], box[1] - markers[:, 3]), 0)
    return float(np.clip(clear - np.hypot(gx, gy), 0, None).sum())


def place_labels(ax, pos, labels: dict, sizes: dict, groups: dict, *, fontsize: float,
                 limit: int, lay_out: bool = True) -> list:
    """Annotate ``labels`` (``{node: text}``, in priority order) on ``ax``.

    With at most ``limit`` labels all are placed; otherwise up to ``limit`` that
    fit without overlap. ``lay_out=False``: the caller has just run the
    figure's layout engine (labels are left out of the layout, so one run
    serves every panel).
    """
    must_place = len(labels) <= limit
    if not labels or limit <= 0:
        return []
    fig = ax.figure
    engine = fig.get_layout_engine()
    if engine is not None and lay_out:
        engine.execute(fig)  # final axes size, so pixel geometry is right
    ax.apply_aspect()
    px = fig.dpi / 72.0
    nodes = list(pos)
    xy = ax.transData.transform(np.array([pos[n] for n in nodes], dtype=float))
    where = dict(zip(nodes, xy, strict=True))
    rad = np.array([np.sqrt(sizes.get(n, 50.0)) / 2 * px for n in nodes])
    markers = np.column_stack([xy[:, 0] - rad, xy[:, 1] - rad, xy[:, 0] + rad, xy[:, 1] + rad])
    frame = ax.get_window_extent()
    centres: dict = {}
    for n in nodes:
        centres.setdefault(groups.get(n), []).append(where[n])
    centres = {g: np.mean(p, axis=0) for g, p in centres.items()}
    overall = xy.mean(axis=0)
    angles = np.deg2rad(np.arange(0, 360, 45))
    compass = np.column_stack([np.cos(angles), np.sin(angles)])
    placed: list[np.ndarray] = []
    clear = 7.0 * px  # how near (pixels) another marker may come to a label
    texts = []
    index = {n: i for i, n in enumerate(nodes)}
    for n, text in labels.items():
        if len(texts) >= limit:
            break
        if n not in where:
            continue
        p = where[n]
        d = p - centres[groups.get(n)]
        if np.hypot(*d) < 1e-6:
            d = p - overall
        d = d / np.hypot(*d) if np.hypot(*d) > 1e-6 else np.array([0.0, -1.0])
        order = np.argsort(-(compass @ d))  # preferred direction first
        w, h = _text_size_pt(text, fontsize)
        w, h = w * px, h * px
        r = rad[index[n]] + 1.5 * px
        others = np.delete(markers, index[n], axis=0)
        best, best_cost = None, (np.inf, np.inf)
        for k in order:
            dx, dy = compass[k]
            ha = "left" if dx > 0.35 else "right" if dx < -0.35 else "center"
            va = "bottom" if dy > 0.35 else "top" if dy < -0.35 else "center"
            ax0 = p[0] + dx * r - {"left": 0, "right": w, "center": w / 2}[ha]
            ay0 = p[1] + dy * r - {"bottom": 0, "top": h, "center": h / 2}[va]
            box = np.array([ax0, ay0, ax0 + w, ay0 + h])
            cost = _overlap(box, others).sum() + (
                _overlap(box, np.array(placed)).sum() * 2 if placed else 0.0
            )
            outside = (max(frame.x0 - box[0], 0) + max(box[2] - frame.x1, 0)) * h + (
                max(frame.y0 - box[1], 0) + max(box[3] - frame.y1, 0)) * w
            cost += 10 * outside
            # a label close to someone else's marker reads as theirs: among
            # positions as free as each other, keep clear of other people
            amb = _crowding(box, others, clear) if len(others) else 0.0
            if (cost, amb) < best_cost:
                best, best_cost = (box, dx, dy, ha, va), (cost, amb)
            if cost == 0 and amb == 0:
                break
        if best_cost[0] > 0 and not must_place:
            continue
        box, dx, dy, ha, va = best
        placed.append(box)
        t = ax.annotate(text, xy=pos[n], xytext=(dx * r / px, dy * r / px),
                        textcoords="offset points", ha=ha, va=va, fontsize=fontsize,
                        color="#1a1a1a", zorder=5, bbox=text_backing(), annotation_clip=False)
        t.set_in_layout(False)
        t.set_gid("label")
        texts.append(t)
    return texts
