"""``packager watch``: an edge like the CLI, looping over the same api.

observer (watchdog behind ``ChangeSource``; the ``Supervisor`` keeps one
running) -> loop (hints, settle timers, rescans) -> cases (one case's state
machine: settle, probe, stage early, build) -> readiness (is every file
whole?) -> child (the build process that parses every byte of a user's file,
spoken to in ``protocol``'s messages). ``events``: what the watcher reports;
``config``: what it was asked to do.
"""
