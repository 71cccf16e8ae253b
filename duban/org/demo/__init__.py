"""The demo city: an invented city, its counties and one county in full, with accounts for every role.

`build.build_demo(seed=..., password=...)` builds it (idempotent); other modules add their demo
data through `build.register_builder` (see docs/org.md).
"""
