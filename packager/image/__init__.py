"""The doors to the pixels: OpenCV (vision), RapidOCR (ocr), JPEG headers, re-encodings, decoder noise."""
