"""The programs a user expects at the shell, on every design (CORE): head,
tail, grep -n -v -c, cp, mv, touch, ps, uptime, free and yes in normal use,
with bad arguments and with missing files (a message naming the file and
status 1; 2 for grep); pipelines into head end (the writer's next write
fails and it exits quietly with status 1); ps lists itself and its parent
shell.  Two boots on a copy of the disk image, each one command line.

Each check runs as `COMMAND; echo =$? ID`: its output is what the console
shows between the previous check's `=STATUS ID` line and its own.  The
checks are packed into `sh -c '...'` groups, since one shell line holds
at most 128 words; checks that quote their own `sh -c '...'` run at the
top level of the line.
"""
import os
import re

import fsimage

# programs this suite runs, by the names TESTS= takes besides the suite's own
PROGRAMS = ('head', 'tail', 'grep', 'cp', 'mv', 'touch', 'ps', 'uptime', 'free', 'yes')

CORE = True

LINE_MAX = 2000         # the kernel command line holds 2048 bytes
GROUP_WORDS = 110       # sh takes 128 words a line
TOP_WORDS = 120


def words(cmd):
    """About as many words as sh makes of cmd (quotes are not split)."""
    return len(re.findall(r"'[^']*'|>>|[;&|<>]|[^\s;&|<>']+", cmd))


def numbered(first, last):
    return ['%d:line' % i for i in range(first, last + 1)]


def has(*patterns):
    """A check that each regex (multi-line) occurs in the output."""
    def check(lines):
        text = '\n'.join(lines)
        missing = [p for p in patterns if not re.search(p, text, re.M)]
        return not missing, 'no match for %s' % missing
    return check


def quiet_exit(head_lines, status):
    """head's lines, then the status the writer left in file s: nothing said."""
    want = head_lines + [str(status)]

    def check(lines):
        return lines == want, 'want %r (head\'s lines, the writer\'s status, no message)' % want
    return check


# (test name, command, status, expected: list of lines, or a function of the lines)
SETUP_TEXT = ('text: setup (files n, a and b in /tmp)', 'yes line|head -n 12|grep -n line>n;echo apple>a;echo banana>>a;'
              'echo cherry>>a;yes abcdefgh|head -n 20000>b;wc b', 0,
              has(r'^\s+20000\s+20000\s+180000 b$'))
TEXT = [
    ('head: the first 10 lines by default', 'head n', 0, numbered(1, 10)),
    ('head -n 3', 'head -n 3 n', 0, numbered(1, 3)),
    ('head -nN of several files, with headers', 'head -n2 n a', 0,
     ['==> n <==', '1:line', '2:line', '', '==> a <==', 'apple', 'banana']),
    ('head -n 0 prints nothing', 'head -n 0 n', 0, []),
    ('head reads standard input', 'cat a|head -n 1', 0, ['apple']),
    ('head of the README on the disk', 'head -n 1 /README', 0, ['# Canopy']),
    ('head -n x: message, usage, status 1', 'head -n x n', 1,
     has(r'^head: x: not a number of lines$', r'^usage: head')),
    ('head -q: unknown option, status 1', 'head -q n', 1,
     has(r'^head: unknown option -q$', r'^usage: head')),
    ('head -n without a count: usage, status 1', 'head -n', 1, has(r'^usage: head')),
    ('head: a missing file is named, the others printed, status 1', 'head nofile a', 1,
     ['head: cannot open nofile', '==> a <==', 'apple', 'banana', 'cherry']),
    ('tail -n 3', 'tail -n 3 n', 0, numbered(10, 12)),
    ('tail: the last 10 lines by default', 'tail n', 0, numbered(3, 12)),
    ('tail of a pipe', 'cat n|tail -n 2', 0, numbered(11, 12)),
    ('tail of a 3000-line pipe keeps only the last lines', 'yes line|head -n 3000|grep -n line|'
     'tail -n 2', 0, ['2999:line', '3000:line']),
    ('tail -n 50 of a 3-line file gives all 3', 'tail -n 50 a', 0, ['apple', 'banana', 'cherry']),
    ('tail of several files, with headers', 'tail -n 1 a n', 0,
     ['==> a <==', 'cherry', '', '==> n <==', '12:line']),
    ('tail -n 0 prints nothing', 'tail -n 0 a', 0, []),
    ('tail -n -1: message, status 1', 'tail -n -1 a', 1,
     has(r'^tail: -1: not a number of lines$', r'^usage: tail')),
    ('tail: a missing file is named, status 1', 'tail nofile', 1, ['tail: cannot open nofile']),
    ('grep -n', 'grep -n an a', 0, ['2:banana']),
    ('grep -v', 'grep -v an a', 0, ['apple', 'cherry']),
    ('grep -c', 'grep -c an a', 0, ['1']),
    ('grep -nv combined', 'grep -nv an a', 0, ['1:apple', '3:cherry']),
    ('grep -vc combined', 'grep -vc an a', 0, ['2']),
    ('grep -c of several files: file:count', 'grep -c e a n', 0, ['a:2', 'n:12']),
    ('grep -n of several files: file:line:text', 'grep -n an a n', 0, ['a:2:banana']),
    ('grep -c of standard input', 'cat a|grep -c a', 0, ['2']),
    ('grep: no line selected, status 1', 'grep zzz a', 1, []),
    ('grep -x: unknown option, usage, status 2', 'grep -x a a', 2,
     has(r'^grep: unknown option -x$', r'^usage: grep')),
    ('grep without a pattern: usage, status 2', 'grep', 2, has(r'^usage: grep')),
    ('grep: a missing file is named, status 2', 'grep a nofile', 2, ['grep: cannot open nofile']),
    ('yes | head ends', 'yes|head -n 2', 0, ['y', 'y']),
    ('cat bigfile | head ends', 'cat b|head -n 1', 0, ['abcdefgh']),
    ('yes | grep | head ends', 'yes|grep y|head -n 1', 0, ['y']),
    ('yes | cat | head ends', 'yes|cat|head -n 1', 0, ['y']),
    ('ls | head ends', 'ls /bin|head -n 1', 0, has(r'^\.\s+dir\s')),
    ('wc | head ends', 'wc a n b|head -n 1', 0, has(r'^\s+3\s+3\s+20 a$')),
]
# each writer's status, written to s once its output failed; head has gone
TEXT_TOP = [
    ('yes exits quietly with status 1 when head has gone',
     "sh -c 'yes;echo $? >s'|head -n 1;cat s", 0, quiet_exit(['y'], 1)),
    ('cat of a big file exits quietly with status 1 when head has gone',
     "sh -c 'cat b;echo $? >s'|head -n 1;cat s", 0, quiet_exit(['abcdefgh'], 1)),
    ('grep exits quietly with status 2 when head has gone',
     "sh -c 'yes|grep y;echo $? >s'|head -n 1;cat s", 0, quiet_exit(['y'], 2)),
    ('sh: $? and "$?" are the last status, \'$?\' is not expanded',
     "grep zzz a;echo $? \"[$?]\" '$?'", 0, ['1 [1] $?']),
]

SETUP_FILES = ('files: setup (file h, directory d in /tmp)', 'echo hello>h;mkdir d', 0, has())
FILES = [
    ('cp to a new file', 'cp h h2;cat h2', 0, ['hello']),
    ('cp into a directory', 'cp h d;cat d/h', 0, ['hello']),
    ('cp of a program, which then runs', 'cp /bin/cat c2;./c2 h', 0, ['hello']),
    ('cp over a longer file truncates it', 'echo longer-line>o;cp h o;cat o', 0, ['hello']),
    ('cp of a file onto itself is refused, status 1', 'cp h h', 1,
     ['cp: h and h are the same file']),
    ('cp: a missing source is named, status 1', 'cp nofile x', 1, ['cp: cannot open nofile']),
    ('cp of a directory is refused, status 1', 'cp d x', 1, has(r'^cp: d is a directory')),
    ('cp with one argument: usage, status 1', 'cp h', 1, has(r'^usage: cp')),
    ('cp -r: usage, status 1', 'cp -r d x', 1, has(r'^usage: cp')),
    ('cp into a missing directory: the target is named, status 1', 'cp h nodir/x', 1,
     ['cp: cannot create nodir/x']),
    ('mv renames a file', 'mv h2 m;cat m h2', 1, ['hello', 'cat: cannot open h2']),
    ('mv into a directory', 'mv m d;cat d/m', 0, ['hello']),
    ('mv over an existing file', 'echo other>x;mv x h;cat h x', 1,
     ['other', 'cat: cannot open x']),
    ('mv of a symbolic link moves the link', 'ln -s h l;mv l l2;cat l2', 0, ['other']),
    ('mv of a directory is refused with a reason, status 1', 'mv d e;ls e', 1,
     has(r'^mv: d is a directory: directories cannot be moved', r'^ls: cannot open e$')),
    ('mv: a missing source is named, status 1', 'mv nofile y', 1, ['mv: cannot open nofile']),
    ('mv of a file onto itself is refused, status 1', 'mv h h;cat h', 0,
     ['mv: h and h are the same file', 'other']),
    ('mv with one argument: usage, status 1', 'mv h', 1, has(r'^usage: mv')),
    ('mv into a missing directory: the target is named, status 1', 'mv h nodir/x', 1,
     ['mv: cannot make nodir/x']),
    ('touch creates empty files', 'touch t1 t2;wc t1 t2', 0,
     has(r'^\s+0\s+0\s+0 t1$', r'^\s+0\s+0\s+0 t2$')),
    ('touch leaves an existing file as it is', 'touch h;cat h', 0, ['other']),
    ('touch of an existing directory succeeds', 'touch d', 0, []),
    ('touch: a file that cannot be made is named, status 1', 'touch nodir/x', 1,
     ['touch: cannot create nodir/x']),
    ('touch without a file: usage, status 1', 'touch', 1, has(r'^usage: touch')),
    ('touch -c: no options, usage, status 1', 'touch -c t3;ls t3', 1,
     has(r'^usage: touch', r'^ls: cannot open t3$')),
    ('ps: header and init', 'ps', 0,
     has(r'^\s+PID\s+PPID\s+STATE\s+NAME\s+PAGES$', r'^\s+1\s+0 sleeping init\s+\d+$')),
    ('ps with an argument: usage, status 1', 'ps x', 1, has(r'^usage: ps')),
    ('uptime', 'uptime', 0, has(r'^up \d+\.\d\d s, \d+ processes$')),
    ('uptime with an argument: usage, status 1', 'uptime -x', 1, has(r'^usage: uptime')),
    ('free -k: usage, status 1', 'free -k', 1, has(r'^usage: free')),
    ('yes with words', 'yes a b|head -n 2', 0, ['a b', 'a b']),
    ('rm without arguments: usage, status 1', 'rm', 1, has(r'^usage: rm')),
    ('mkdir without arguments: usage, status 1', 'mkdir', 1, has(r'^usage: mkdir')),
    ('ln without arguments: usage, status 1', 'ln', 1, has(r'^usage: ln')),
    ('kill without arguments: usage, status 1', 'kill', 1, has(r'^usage: kill')),
    ('sleep without arguments: usage, status 1', 'sleep', 1, has(r'^usage: sleep')),
]
# checked by hand below: ps's own line and its parent, a sleeping child, free's figures
PS_SELF = 'ps lists itself running, its parent shell waiting, and a background job'
FREE = 'free: total = used + free, in KiB and in pages'
FILES_EXTRA = [
    (PS_SELF, 'sleep 2&sleep 0.3;ps', 0, None),
    (FREE, 'free;free -p', 0, None),
]
FILES_TOP = [
    ('echo exits quietly with status 1 when its reader has gone',
     "sh -c 'sleep 0.2;echo hi;echo $? >s'|head -n 0;cat s", 0, quiet_exit([], 1)),
    ('ls exits quietly with status 1 when its reader has gone',
     "sh -c 'sleep 0.2;ls;echo $? >s'|head -n 0;cat s", 0, quiet_exit([], 1)),
    ('wc exits quietly with status 1 when its reader has gone',
     "sh -c 'sleep 0.2;wc /README;echo $? >s'|head -n 0;cat s", 0, quiet_exit([], 1)),
]


def command_line(grouped, top):
    """The boot's line: cd /tmp, the grouped checks in sh -c '...', the
    top-level ones; and the ids in order."""
    groups, current, ids = [], [], []
    for i, (_, cmd, _, _) in enumerate(grouped):
        part = '%s;echo =$? c%d' % (cmd, i)
        if current and words(';'.join(current + [part])) > GROUP_WORDS:
            groups.append(current)
            current = []
        current.append(part)
    if current:
        groups.append(current)
    parts = ["sh -c '%s'" % ';'.join(g) for g in groups]
    parts += ['%s;echo =$? c%d' % (cmd, len(grouped) + i) for i, (_, cmd, _, _) in enumerate(top)]
    line = 'cd /tmp;' + ';'.join(parts)
    assert len(line) <= LINE_MAX, 'the command line is %d bytes' % len(line)
    assert words(line) <= TOP_WORDS, 'the command line has %d words' % words(line)
    return line


def sections(output):
    """{id: (status, lines)}: each check's output, up to its `=STATUS ID` line."""
    found, lines = {}, []
    for line in output.splitlines():
        m = re.match(r'^=(-?\d+) (c\d+)$', line)
        if m:
            found[m.group(2)] = (int(m.group(1)), lines)
            lines = []
        else:
            lines.append(line)
    return found


def record_checks(h, b, checks):
    found = sections(b.output)
    for i, (name, cmd, status, want) in enumerate(checks):
        if want is None:
            continue
        got = found.get('c%d' % i)
        if got is None:
            h.record(name, False, '`%s` did not finish (log: %s)' % (cmd, b.log))
            continue
        st, lines = got
        if callable(want):
            ok, why = want(lines)
        else:
            ok, why = lines == want, 'want %r' % want
        ok = ok and st == status
        h.record(name, ok, '`%s`: status %d (want %d), output %r; %s (log: %s)' %
                 (cmd, st, status, lines, why, b.log))


def check_ps(h, b, lines):
    """ps's own line is running and names a parent sh, asleep waiting for it; the
    background job (given 0.3 s to start) is listed as `sleep` under the same sh."""
    rows = [l.split() for l in lines if re.match(r'^\s+\d+\s+\d+\s', l)]
    by_pid = {int(r[0]): r for r in rows if len(r) == 5}
    me = [r for r in by_pid.values() if r[3] == 'ps']
    ok = len(me) == 1 and me[0][2] == 'running' and int(me[0][4]) > 0
    parent = by_pid.get(int(me[0][1])) if ok else None
    ok = ok and parent is not None and parent[3] == 'sh' and parent[2] == 'sleeping'
    started = re.search(r'^\[(\d+)\]$', '\n'.join(lines), re.M)
    job = by_pid.get(int(started.group(1))) if started else None
    # a sleep wakes at each tick: it may be caught runnable or running
    ok = ok and job is not None and job[1] == me[0][1] and job[3] == 'sleep'
    h.record(PS_SELF, ok, 'ps printed %r (log: %s)' % (lines, b.log))


def check_free(h, b, lines):
    rows = {l.split()[0]: [int(x) for x in l.split()[1:]] for l in lines
            if re.match(r'^(KiB|pages)\s+\d+\s+\d+\s+\d+$', l)}
    kib, pages = rows.get('KiB'), rows.get('pages')
    ok = (kib is not None and pages is not None and kib[0] == kib[1] + kib[2] and
          pages[0] == pages[1] + pages[2] and kib[0] == pages[0] * 4 and
          kib[0] > 64 * 1024 and 0 < kib[1] < kib[0])
    h.record(FREE, ok, 'free printed %r (log: %s)' % (lines, b.log))


def boot_checks(h, label, disk, setup, grouped, top):
    checks = [setup] + grouped + top
    line = command_line([setup] + grouped, top)
    b = h.boot(label, line, disk=disk, timeout=120)
    if not h.boot_ok(label, b):
        return b, {}
    record_checks(h, b, checks)
    h.record('%s: no "write error" flood from writers whose reader has gone' % label,
             'write error' not in b.output, 'log: %s' % b.log)
    return b, sections(b.output)


def run(h):
    env = fsimage.paths(h)
    if not env:
        return
    disk = os.path.join(env['work'], 'apps-%s.img' % h.design)
    fsimage.copy_sparse(env['CANOPY_FS_IMG'], disk)

    boot_checks(h, 'apps/text', disk, SETUP_TEXT, TEXT, TEXT_TOP)

    grouped = FILES + FILES_EXTRA
    b, found = boot_checks(h, 'apps/files', disk, SETUP_FILES, grouped, FILES_TOP)
    if found or b.output:
        base = 1 + len(FILES)   # the ids of FILES_EXTRA, after setup and FILES
        check_ps(h, b, found.get('c%d' % base, (0, []))[1])
        check_free(h, b, found.get('c%d' % (base + 1), (0, []))[1])
