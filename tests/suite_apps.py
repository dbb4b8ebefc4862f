"""The programs a user expects at the shell, on every design (CORE): head,
tail, grep -n -v -c -i, cp, mv, touch, ps, uptime, free, yes, wc -l -w -c,
cat -n, echo -n, ls -l, mkdir -p, rm -r -f, pwd, kill and sh FILE (a
script: comments, $0 $# $1...) in normal use, with missing files (a
message naming the file and status 1; 2 for grep), and with bad arguments:
every program names an unknown option and prints its one-line usage, with
status 2, as for any usage error; "--" ends the options.  Pipelines into
head end (the writer's next write fails and it exits quietly with status
1); ps lists itself and its parent shell.  Two boots on a copy of the
disk image, each one command line.

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
PROGRAMS = ('head', 'tail', 'grep', 'cp', 'mv', 'touch', 'ps', 'uptime', 'free', 'yes',
            'cat', 'echo', 'wc', 'ls', 'mkdir', 'rm', 'ln', 'kill', 'killall', 'sleep',
            'timeout', 'pwd', 'poweroff')

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


def rejected(prog, opt):
    """An unknown option: named, then the one-line usage, and nothing else."""
    want = '%s: unknown option -%s' % (prog, opt)

    def check(lines):
        ok = len(lines) == 2 and lines[0] == want and lines[1].startswith('usage: %s ' % prog)
        return ok, 'want %r, then one line "usage: %s ..."' % (want, prog)
    return check


def bad_option(prog, opt='z', rest=''):
    """The check that prog rejects -opt (rest: operands after it): status 2."""
    return ('%s -%s: unknown option, usage, status 2' % (prog, opt),
            '%s -%s%s' % (prog, opt, rest), 2, rejected(prog, opt))


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
    ('head -n x: message, usage, status 2', 'head -n x n', 2,
     has(r'^head: x: not a number of lines$', r'^usage: head')),
    bad_option('head', 'q', ' n'),
    ('head -n without a count: usage, status 2', 'head -n', 2, has(r'^usage: head')),
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
    ('tail -n -1: message, status 2', 'tail -n -1 a', 2,
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
    bad_option('grep', 'x', ' a a'),
    ('grep -i, alone and with -n, -v and -c', 'grep -i AN a;grep -in A a;grep -ivc A a', 0,
     ['banana', '1:apple', '2:banana', '1']),
    ('grep without a pattern: usage, status 2', 'grep', 2, has(r'^usage: grep')),
    ('grep: a missing file is named, status 2', 'grep a nofile', 2, ['grep: cannot open nofile']),
    ('yes | head ends', 'yes|head -n 2', 0, ['y', 'y']),
    ('cat bigfile | head ends', 'cat b|head -n 1', 0, ['abcdefgh']),
    ('yes | grep | head ends', 'yes|grep y|head -n 1', 0, ['y']),
    ('yes | cat | head ends', 'yes|cat|head -n 1', 0, ['y']),
    ('ls | head ends', 'ls /bin|head -n 1', 0, ['.']),
    ('wc | head ends', 'wc a n b|head -n 1', 0, has(r'^\s+3\s+3\s+20 a$')),
    ('wc -l, -cw (words, then bytes), -w -l of standard input',
     'wc -l a;wc -cw a;cat a|wc -w -l', 0, ['      3 a', '      3      20 a', '      3       3 ']),
    ('cat -n numbers the lines, counting on across files', 'cat -n a;cat -n a n|tail -n 1', 0,
     ['     1\tapple', '     2\tbanana', '     3\tcherry', '    15\t12:line']),
    ('echo -n: no newline; echo -- -n prints -n', 'echo -n ab;echo c;echo -- -n', 0, ['abc', '-n']),
    ('sh FILE: a missing file is named, status 127', 'sh nofile', 127,
     ['sh: cannot open nofile']),
    bad_option('cat'),
    bad_option('echo'),
    bad_option('tail'),
    bad_option('wc'),
    bad_option('sleep'),
    bad_option('timeout'),
    bad_option('trace'),
    bad_option('sh'),
    ('yes -z: unknown option, usage, status 2 (nothing repeated)', 'yes -z|head -n 1', 0,
     rejected('yes', 'z')),
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
    # a comment line, a blank one; comments after commands, '#' inside
    # words and quotes; $0 $# $1 "$2", an empty $5 (no word at all); the
    # script's status is its last command's (grep -c: 1 for none)
    ('sh FILE ARG...: comments, blank lines, $0 $# $N, the last status',
     "echo '# comment'>sc;echo>>sc;echo 'echo $0 $# $1 \"[$2]\" # c'>>sc;"
     "echo 'echo a#b \"#c\" \\#d;ls $5|head -n 1'>>sc;echo 'grep -c zz $1'>>sc;"
     'sh sc a "x y"', 1, ['sc 2 a [x y]', 'a#b #c #d', '.', '0']),
]

PWD_LOST = "pwd: cannot find the current directory's path (removed, or too deep)"
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
    ('cp with one argument: usage, status 2', 'cp h', 2, has(r'^usage: cp')),
    bad_option('cp', 'r', ' d x'),
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
    ('mv with one argument: usage, status 2', 'mv h', 2, has(r'^usage: mv')),
    bad_option('mv'),
    ('ls names a directory\'s entries', 'ls d', 0, ['.', '..', 'h', 'm']),
    ('ls -l: type, links, size, inode, name', 'ls -l d/h', 0,
     has(r'^file\s+1\s+6\s+\d+ d/h$')),
    ('ls -l of a directory and a symbolic link', 'ls -l d|head -n 1;ls -l l2', 0,
     has(r'^dir\s+\d+\s+\d+\s+\d+ \.$', r'^link\s+1\s+1\s+\d+ l2 -> h$')),
    ('mv into a missing directory: the target is named, status 1', 'mv h nodir/x', 1,
     ['mv: cannot make nodir/x']),
    ('touch creates empty files', 'touch t1 t2;wc t1 t2', 0,
     has(r'^\s+0\s+0\s+0 t1$', r'^\s+0\s+0\s+0 t2$')),
    ('touch leaves an existing file as it is', 'touch h;cat h', 0, ['other']),
    ('touch of an existing directory succeeds', 'touch d', 0, []),
    ('touch: a file that cannot be made is named, status 1', 'touch nodir/x', 1,
     ['touch: cannot create nodir/x']),
    ('touch without a file: usage, status 2', 'touch', 2, has(r'^usage: touch')),
    ('touch -c: no options, usage, status 2', 'touch -c t3;ls t3', 1,
     has(r'^touch: unknown option -c$', r'^usage: touch', r'^ls: cannot open t3$')),
    ('ps: header and init', 'ps', 0,
     has(r'^\s+PID\s+PPID\s+STATE\s+NAME\s+PAGES$', r'^\s+1\s+0 sleeping init\s+\d+$')),
    ('ps with an argument: usage, status 2', 'ps x', 2, has(r'^usage: ps')),
    bad_option('ps'),
    ('uptime', 'uptime', 0, has(r'^up \d+\.\d\d s, \d+ processes$')),
    bad_option('uptime', 'x'),
    bad_option('free', 'k'),
    ('yes with words', 'yes a b|head -n 2', 0, ['a b', 'a b']),
    ('yes -- -x repeats -x', 'yes -- -x|head -n 1', 0, ['-x']),
    ('rm without arguments: usage, status 2', 'rm', 2, has(r'^usage: rm')),
    ('mkdir without arguments: usage, status 2', 'mkdir', 2, has(r'^usage: mkdir')),
    ('ln without arguments: usage, status 2', 'ln', 2, has(r'^usage: ln')),
    ('kill without arguments: usage, status 2', 'kill', 2, has(r'^usage: kill')),
    ('sleep without arguments: usage, status 2', 'sleep', 2, has(r'^usage: sleep')),
    ('mkdir -p makes the parents; an existing directory is no error',
     'mkdir -p p/q/r;mkdir -p p/q;ls p/q', 0, ['.', '..', 'r']),
    ('rm -r removes a directory and all in it', 'echo x>p/q/f;ln -s f p/l;rm -r p;ls p', 1,
     ['ls: cannot open p']),
    ('rm -f and -rf: a missing file is no error', 'rm -f nofile;rm -rf nofile', 0, []),
    ('--: touch, ls and rm take a name that starts with -',
     'touch -- -p;ls -- -p;rm -- -p;ls -- -p', 1, ['-p', 'ls: cannot open -p']),
    ('pwd', 'pwd;mkdir -p w/v;cd w/v;pwd;cd /;pwd;cd /tmp', 0, ['/tmp', '/tmp/w/v', '/']),
    ('pwd in a removed directory: a message, status 1', 'mkdir z;cd z;rm /tmp/z;pwd;echo $?;'
     'cd /tmp', 0, [PWD_LOST, '1']),
    ('kill 1: init cannot be killed, status 1', 'kill 1', 1, ['kill: 1: init cannot be killed']),
    ('kill -9 is taken (the only signal)', 'kill -9 99999', 1, ['kill: 99999: no such process']),
    bad_option('ln'),
    bad_option('ls'),
    bad_option('mkdir'),
    bad_option('rm'),
    bad_option('kill'),
    bad_option('pwd'),
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
    # at the top: with the old programs the first powers off and the second
    # kills every process but init, its shell (this line's) and itself
    bad_option('poweroff'),
    bad_option('killall'),
]


def command_line(grouped, top):
    """The boot's line: cd /tmp, the grouped checks in sh -c '...', the
    top-level ones; and the ids in order."""
    groups, current, ids = [], [], []
    for i, (_, cmd, _, _) in enumerate(grouped):
        part = '%s;echo =$? %d' % (cmd, i)
        if current and words(';'.join(current + [part])) > GROUP_WORDS:
            groups.append(current)
            current = []
        current.append(part)
    if current:
        groups.append(current)
    parts = ["sh -c '%s'" % ';'.join(g) for g in groups]
    parts += ['%s;echo =$? %d' % (cmd, len(grouped) + i) for i, (_, cmd, _, _) in enumerate(top)]
    line = 'cd /tmp;' + ';'.join(parts)
    assert len(line) <= LINE_MAX, 'the command line is %d bytes' % len(line)
    assert words(line) <= TOP_WORDS, 'the command line has %d words' % words(line)
    return line


def sections(output):
    """{id: (status, lines)}: each check's output, up to its `=STATUS ID` line."""
    found, lines = {}, []
    for line in output.splitlines():
        m = re.match(r'^=(-?\d+) (\d+)$', line)
        if m:
            found[int(m.group(2))] = (int(m.group(1)), lines)
            lines = []
        else:
            lines.append(line)
    return found


def record_checks(h, b, checks):
    found = sections(b.output)
    for i, (name, cmd, status, want) in enumerate(checks):
        if want is None:
            continue
        got = found.get(i)
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
        check_ps(h, b, found.get(base, (0, []))[1])
        check_free(h, b, found.get(base + 1, (0, []))[1])
