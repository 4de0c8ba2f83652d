"""What reading learned of a source, kept by content hash under OUT/.cache, and its file primitives."""
