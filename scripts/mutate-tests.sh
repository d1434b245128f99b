#!/bin/sh
# The test command of `make mutate`: the workflow tests, fast (no plugins, no Django), and exit
# status 1 for ANY failure — mutmut 2 counts only status 1 as "killed", so an import or collection
# error of a mutant (pytest status 2) would otherwise be reported as a survivor.
PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 "${MUTATE_PYTHON:-python}" -m pytest -x -q -p no:cacheprovider --noconftest \
  core/tests/test_workflow.py hazards/tests/test_workflow.py supervision/tests/test_workflow.py \
  tips/tests/test_workflow.py enforcement/tests/test_workflow.py || exit 1
