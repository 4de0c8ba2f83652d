"""The read side: everything ``packager check`` needs, ending in one frozen ``Prepared``.

casefile (case.toml) -> intake (files by content) -> classify (kinds) ->
pages (each source read once, in the pool: normalize, quality, re-encodings)
-> checks, eligibility, workdays -> prepare. Nothing here writes a file, and
nothing here imports the write side.
"""
