"""The doors to pikepdf/qpdf and fontTools: source PDFs repaired, forms drawn in a CJK subset."""
