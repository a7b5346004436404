"""Table rows as text lines that keep a figure next to what it measures and when.

Every reader writes a table one row per line, cells joined with " | ". A bare figure in a row
("博物馆 | 县级博物馆覆盖率（%） | 100 | 约束性") loses the column that says it is the 2025 target;
so a figure under a column headed by a year, a time or a measure ("2025年", "目标值", "现状",
"单位") carries that heading: "博物馆 | 县级博物馆覆盖率（%） | 2025 年：100 | 约束性".
"""

from __future__ import annotations

import re

SEP = " | "
# A header cell worth repeating beside a figure: a year, a period, or a measure's name.
# A year is "2025年" or a cell that is only "2025" ("≥2000" is a figure, not a year).
LABEL_RE = re.compile(
    r"(?:19|20)\d{2}\s*年|^(?:19|20)\d{2}$|目标|预期|现状|基期|基数|期末|累计|单位|数值|指标值|完成"
)
FIGURE_RE = re.compile(r"\d")
LABEL_MAX = 12  # longer header cells are sentences, not labels


def is_header(cells: list[str]) -> bool:
    """A first row that labels columns: no figures but years, and at least one label worth repeating."""
    labels = [c for c in cells if LABEL_RE.search(c) and len(c) <= LABEL_MAX]
    figures = [c for c in cells if FIGURE_RE.search(LABEL_RE.sub("", c))]
    return bool(labels) and not figures


def label_row(header: list[str] | None, cells: list[str]) -> str:
    """One data row as a line, each figure under a labelling column prefixed with that label.

    Header and row are aligned from the right: merged category cells make rows longer on the left.
    Example: label_row(["指标", "2025年", "属性"], ["博物馆", "覆盖率（%）", "100", "约束性"])
      -> "博物馆 | 覆盖率（%） | 2025年：100 | 约束性"
    """
    if not header or header == cells:
        return SEP.join(cells)
    out = list(cells)
    for back in range(1, min(len(header), len(cells)) + 1):
        label, value = header[-back], cells[-back]
        if (
            LABEL_RE.search(label)
            and len(label) <= LABEL_MAX
            and FIGURE_RE.search(value)
            and label not in value
        ):
            out[-back] = f"{label}：{value}"
    return SEP.join(out)
