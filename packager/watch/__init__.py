"""``packager watch``: an edge like the CLI, looping over the same api.

observer (watchdog behind ``ChangeSource``) -> loop (hints, settle timers,
rescans) -> cases (one case's state) -> readiness (is every file whole?) ->
child (the build process that parses every byte of a user's file).
"""
