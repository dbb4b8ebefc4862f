"""The test runner's own promises, without a boot: TESTS= (run.py --only)
takes a suite's name or a program it runs, several separated by commas;
a name that answers to nothing stops the run with a message listing the
names, instead of running nothing and passing; --names lists them."""
import os
import subprocess
import sys

import run as runner

# programs this suite runs, by the names TESTS= takes besides the suite's own
PROGRAMS = ()

HERE = os.path.dirname(os.path.abspath(__file__))


def run_py(*args):
    r = subprocess.run([sys.executable, os.path.join(HERE, 'run.py')] + list(args),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True, timeout=60)
    return r.returncode, r.stdout


def run(h):
    suites = runner.suites()
    picks = [('utest', {'core'}), ('vmtest', {'vm'}), ('mmaptest', {'mmap'}),
             ('core', {'core'}), ('suite_xv6', {'xv6'}), ('utest,mmap', {'core', 'mmap'}),
             ('stress, docs', {'stress', 'docs'})]
    wrong = ['%s -> %s' % (words, sorted(runner.select(words, suites)))
             for words, want in picks if runner.select(words, suites) != want]
    h.record('runner: TESTS takes suite names, program names and lists of them',
             not wrong, '; '.join(wrong))
    rc, out = run_py('--kernel', 'none', '--design', 'canopy', '--only', 'utestt')
    h.record('runner: an unknown TESTS name stops the run and lists the names',
             rc != 0 and "'utestt'" in out and 'vmtest' in out and ' passed, ' not in out,
             'exit %d: %s' % (rc, out.strip().splitlines()[:2]))
    rc, out = run_py('--names')
    names = [line.split()[0] for line in out.splitlines() if line.strip()]
    h.record('runner: --names lists every suite', rc == 0 and
             sorted(names) == sorted(name for name, _ in suites), 'got %s' % names)
