"""Reads what `mocheck report` wrote as a real reader does, for tests/integration/documents.rs.

    python3 real_clients.py check         exit 3 when python-docx or pypdf is missing
    python3 real_clients.py docx FILE     the Word document, as JSON
    python3 real_clients.py pdf FILE      the PDF Chromium printed, as JSON

The Rust test makes the assertions; this script only reports what the libraries see.
"""

import json
import sys


def check():
    try:
        import docx  # noqa: F401
        import pypdf  # noqa: F401
    except ImportError as error:
        print(error, file=sys.stderr)
        sys.exit(3)


def highlighted(paragraph):
    return [run.text for run in paragraph.runs if run.font.highlight_color is not None
            and run.font.highlight_color.name == "YELLOW"]


def read_docx(path):
    import docx

    document = docx.Document(path)
    paragraphs = [
        # No style at all (null) would mean the paragraph has none and the document no default.
        {"style": paragraph.style.name if paragraph.style else None, "text": paragraph.text}
        for paragraph in document.paragraphs
    ]
    tables = []
    marked = [text for paragraph in document.paragraphs for text in highlighted(paragraph)]
    for table in document.tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        paragraphs_in_cells = [
            paragraph for row in table.rows for cell in row.cells for paragraph in cell.paragraphs
        ]
        tables.append({
            "rows": len(rows),
            # The grid Word lays the table out by, and the cells each row really has.
            "columns": len(table.columns),
            "cells_per_row": sorted({len(row) for row in rows}),
            "header": rows[0] if rows else [],
            "texts": [paragraph.text for paragraph in paragraphs_in_cells],
            "highlighted": [
                text for paragraph in paragraphs_in_cells for text in highlighted(paragraph)
            ],
        })
    sections = []
    for section in document.sections:
        header = section.header
        sections.append({
            "header": [paragraph.text for paragraph in header.paragraphs],
            "header_highlighted": [
                text for paragraph in header.paragraphs for text in highlighted(paragraph)
            ],
            # A header linked to the previous section's, or a different first page, would
            # leave pages without this one.
            "linked_to_previous": header.is_linked_to_previous,
            "different_first_page": section.different_first_page_header_footer,
            "page_width_pt": section.page_width.pt if section.page_width else None,
        })
    return {
        "paragraphs": paragraphs,
        "tables": tables,
        "highlighted": marked,
        "sections": sections,
    }


def read_pdf(path, top=110.0):
    """Each page's size and text, and the text of its top `top` points: the page header's
    place, in the top margin, or on the first page just below it."""
    import pypdf
    from pypdf.generic import ContentStream

    reader = pypdf.PdfReader(path)
    pages = []
    for page in reader.pages:
        box = page.mediabox
        fragments = []

        def visit(text, cm, tm, _font, _size):
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if text.strip() and y > float(box.top) - top:
                fragments.append(text)

        fills = set()
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"rg":
                fills.add("#" + "".join(f"{round(float(part) * 255):02x}" for part in operands))
        pages.append({
            "width": float(box.width),
            # The colours areas are filled with: a highlight is a yellow fill under the text.
            "fills": sorted(fills),
            "height": float(box.height),
            "text": page.extract_text(visitor_text=visit),
            "top": " ".join(fragments),
        })
    return {"pages": pages}


def main():
    command = sys.argv[1]
    if command == "check":
        check()
        return
    reader = {"docx": read_docx, "pdf": read_pdf}[command]
    json.dump(reader(sys.argv[2]), sys.stdout)


if __name__ == "__main__":
    main()
