"""Ingest benchmark: what the readers get out of each real file in ../shared/corpora/formats/.

For each file: characters extracted (non-space) against `pdftotext` (poppler) for PDFs,
heading lines the parser recognises (plus styled headings), pages OCR'd or still needing
OCR, table rows kept, and seconds per page.

    python bench/ingest.py [--dir DIR] [--no-ocr] [--max-ocr-pages N] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.corpus import heading_rank  # noqa: E402
from assistant.readers import ocr as ocr_mod  # noqa: E402
from assistant.readers import read_document  # noqa: E402

DEFAULT_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "formats"


def non_space(text: str) -> int:
    return sum(1 for c in text if not c.isspace())


def pdftotext_chars(path: Path) -> int | None:
    """Non-space characters `pdftotext` extracts, or None where poppler-utils is not installed."""
    if path.suffix.lower() != ".pdf" or shutil.which("pdftotext") is None:
        return None
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=False)
    return non_space(out.stdout.decode("utf-8", "replace").replace("\f", ""))


def measure(path: Path, ocr: bool, max_ocr_pages: int | None) -> dict[str, object]:
    data = path.read_bytes()
    start = time.perf_counter()
    doc = read_document(path.name, data, ocr=ocr, max_ocr_pages=max_ocr_pages)
    seconds = time.perf_counter() - start
    offsets, pos = set(), 0
    for line in doc.text.split("\n"):
        if heading_rank(line.strip()) is not None:
            offsets.add(pos)
        pos += len(line) + 1
    offsets |= {offset for offset, _ in doc.headings}
    pages = len(doc.pages) or 1
    reference = pdftotext_chars(path)
    chars = non_space(doc.text)
    return {
        "file": path.name,
        "format": doc.format,
        "title": doc.title,
        "pages": len(doc.pages),
        "chars": chars,
        "pdftotext_chars": reference,
        "vs_pdftotext": round(chars / reference, 3) if reference else None,
        "headings": len(offsets),
        "ocr_pages": list(doc.ocr_pages),
        "needs_ocr": list(doc.needs_ocr),
        "table_rows": doc.table_rows,
        "seconds": round(seconds, 2),
        "seconds_per_page": round(seconds / pages, 3),
    }


def table(rows: list[dict[str, object]]) -> str:
    head = "| file | format | pages | chars | pdftotext | ratio | headings | OCR'd pages | need OCR | table rows | s | s/page |"
    lines = [head, "|" + "---|" * 12]
    for r in rows:
        name = str(r["file"])
        lines.append(
            f"| {name[:28] + '…' if len(name) > 29 else name} | {r['format']} | {r['pages'] or '–'} | {r['chars']} "
            f"| {r['pdftotext_chars'] or '–'} | {r['vs_pdftotext'] or '–'} | {r['headings']} "
            f"| {len(r['ocr_pages']) or '–'} | {len(r['needs_ocr']) or '–'} | {r['table_rows']} "  # type: ignore[arg-type]
            f"| {r['seconds']} | {r['seconds_per_page'] if r['pages'] else '–'} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--no-ocr", action="store_true", help="list scanned pages instead of OCR'ing them")
    parser.add_argument(
        "--max-ocr-pages", type=int, default=None, help="OCR at most this many pages per file"
    )
    parser.add_argument("--json", type=Path, help="write the rows as JSON here")
    args = parser.parse_args()
    if not args.dir.is_dir():
        sys.exit(f"{args.dir} not found")
    ocr = not args.no_ocr and ocr_mod.available()
    files = sorted(p for p in args.dir.iterdir() if p.is_file() and p.suffix.lower() != ".md")
    rows = [measure(p, ocr, args.max_ocr_pages) for p in files]
    print(
        f"OCR: {'on' if ocr else 'off'}; pdftotext: {'yes' if shutil.which('pdftotext') else 'not installed'}"
    )
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
