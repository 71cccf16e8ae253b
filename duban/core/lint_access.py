"""The access-path lint: views and API code read models only through the policy.

Fails (exit 1) when a views*.py or api*.py module touches `Model.objects.<anything>` other
than `visible_to(...)`, or `_default_manager`. Details and edits go through
`get_object_for_user_or_404` / services; lists start from `visible_to(user)`.
Run as `python -m duban.core.lint_access` (part of `make check`).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ALLOWED = {"visible_to"}


def offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        inner = node.value
        if isinstance(inner, ast.Attribute) and inner.attr in {"objects", "_default_manager"}:
            if node.attr not in ALLOWED:
                found.append(f"{path}:{node.lineno}: {ast.unparse(node)} — start from visible_to(user)")
    return found


def main(root: str = "duban") -> int:
    files = [
        p for p in Path(root).rglob("*.py") if p.name.startswith(("views", "api")) and "tests" not in p.parts
    ]
    files += [p for p in Path(root).rglob("views/*.py")]
    problems = [line for path in sorted(set(files)) for line in offences(path)]
    for line in problems:
        print(line)
    print(f"access lint: {len(files)} files, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
