"""mutmut hooks for `make mutate` (mutation testing of the workflow tables; not part of `make test`).

mutmut 2 imports this module from the repository root. ``pre_mutation`` skips mutants on lines
that are not part of a lifecycle: module docstrings and the few domain constants that live in a
workflow module but are checked by the services' tests, not by the workflow sweeps
(NOT_LIFECYCLE below). Everything else in the workflow modules — states, the Workflow
declaration, guards, messages, labels, the public guard functions — is mutated.
"""

import ast
import functools

NOT_LIFECYCLE = {
    "hazards/workflow.py": {"PLAN_ELEMENTS"},  # checked by hazards/tests/test_services.py (plan elements)
    "supervision/workflow.py": {"LEVELS", "OVERDUE_ESCALATION_DAYS", "DEFAULT_REPORT_EVERY_DAYS"},  # alerts/services tests
    "tips/workflow.py": set(),
    "enforcement/workflow.py": set(),
    "core/workflow.py": set(),
}


@functools.cache
def _skipped_lines(filename: str) -> frozenset:
    tree = ast.parse(open(filename, encoding="utf-8").read())
    names = NOT_LIFECYCLE.get(filename.replace("\\", "/"), set())
    lines = set()
    for node in tree.body:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            lines.update(range(node.lineno, node.end_lineno + 1))  # docstring
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        if any(isinstance(t, ast.Name) and t.id in names for t in targets):
            lines.update(range(node.lineno, node.end_lineno + 1))
    return frozenset(lines)


def pre_mutation(context):
    if context.current_line_index + 1 in _skipped_lines(context.filename):
        context.skip = True
