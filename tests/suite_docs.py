"""The documentation: tools/linkcheck.py on README.md and docs/*.md (every
relative link, #anchor and backquoted src/ path must resolve).  No boot:
a second or less."""
import os
import subprocess
import sys

# programs this suite runs, by the names TESTS= takes besides the suite's own
PROGRAMS = ()

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(h):
    r = subprocess.run([sys.executable, os.path.join(ROOT, 'tools', 'linkcheck.py')],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True, timeout=60)
    lines = r.stdout.strip().splitlines()
    h.record('docs: every link, anchor and src/ path in README.md and docs/ resolves',
             r.returncode == 0, '; '.join(lines[:5]) + (' ...' if len(lines) > 5 else ''))
