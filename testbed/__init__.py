"""The processes the bench (`python -m bench`) and the fault tests (tests/faults) start: servers
on free loopback ports, each in its own process group, and the environment and command lines of
the production-shaped application they run (docs/adr/0042).

Neither production code nor the unit tests import it; import-linter keeps the apps from doing so.
"""
