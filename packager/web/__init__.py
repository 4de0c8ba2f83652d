"""``packager serve``: the local web page, an edge beside the CLI and the watcher.

It calls only ``packager.api`` and read-side helpers; it writes into the inbox
only what the person uploads, and case.toml through the form.
"""
