"""Linux programs on Canopy, against qemu-riscv64 on the host (CORE: on
every design).  Each tests/linux/NAME.c (built by SCons into
build/linux/tests/NAME, and into the image as /linux/NAME) and each line
of tests/linux_corpus.txt (run as `/bin/busybox sh -c 'LINE'`) runs twice:

- on the host, under qemu-riscv64 (Debian's qemu-user), in a fresh empty
  folder, with stdin an empty file, stdout a file and the environment
  ENV, inside a private binfmt_misc that hands riscv64 programs to
  qemu-riscv64 (busybox runs most applets by execve of /proc/self/exe);
  where the host cannot make one, PATH starts with a folder of wrappers,
  one per busybox applet, that busybox falls back to;
- on Canopy, all in one boot: a script (added to a copy of the image as
  /lt/run.sh) runs each in a fresh folder /tmp/lt-NAME (or /tmp/lc-N),
  with stdin an empty file and stdout a file, which it then prints
  between markers and removes with the folder; the first design's boot
  has 3 harts, the other's 1, and one more boot runs the programs alone
  on the other count, so each design runs each program on 1 and 3 harts.

Standard output and the exit status must be the same, byte for byte;
one PASS or FAIL per program and per line, with a short diff.  What a
program writes to stderr is not compared (on Canopy it goes to the
console); it is shown with a failure.  The host runs happen once, for the
first design; every QEMU run has a timeout.
"""
import difflib
import os
import re
import shlex
import shutil
import subprocess
import tempfile

import fsimage

# programs this suite runs, by the names TESTS= takes besides the suite's own
PROGRAMS = ('busybox',)

CORE = True

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SOURCES = os.path.join(HERE, 'linux')
CORPUS = os.path.join(HERE, 'linux_corpus.txt')
BUILT = os.path.join(ROOT, 'build', 'linux')
BUSYBOX = os.path.join(BUILT, 'busybox')
QEMU_USER = 'qemu-riscv64'

# the environment of the host runs (after the wrappers' folder on PATH)
ENV = {'PATH': '/usr/bin:/bin', 'HOME': '/', 'TERM': 'vt100', 'LANG': 'C'}
HOST_SECONDS = 60           # one program or line on the host
CANOPY_SECONDS = 20         # one program or line on Canopy (its timeout program)
BOOT_SECONDS = 120          # a boot, besides CANOPY_SECONDS for each program and line
DIFF_LINES = 12

_host_results = None        # (programs, corpus, host results): computed once


def programs():
    """The test programs' names: one per tests/linux/*.c."""
    return sorted(f[:-2] for f in os.listdir(SOURCES) if f.endswith('.c')) \
        if os.path.isdir(SOURCES) else []


def corpus():
    """The command lines of tests/linux_corpus.txt."""
    with open(CORPUS) as f:
        return [line.rstrip('\n') for line in f
                if line.strip() and not line.lstrip().startswith('#')]


class Result:
    def __init__(self, status, stdout, stderr=''):
        self.status = status
        self.stdout = stdout
        self.stderr = stderr


def applet_wrappers(folder):
    """Make folder hold, for every busybox applet (and busybox itself), a
    host script that runs it under qemu-riscv64."""
    with open(BUSYBOX + '.applets') as f:
        names = f.read().split()
    for name in names + ['busybox']:
        path = os.path.join(folder, name)
        with open(path, 'w') as f:
            f.write('#!/bin/sh\nexec %s -0 %s %s "$@"\n' %
                    (QEMU_USER, shlex.quote(name), shlex.quote(BUSYBOX)))
        os.chmod(path, 0o755)


# A private binfmt_misc instance (Linux 6.7 or later, in a user and mount
# namespace: the host's stays untouched) that hands riscv64 ELF images to
# qemu-riscv64, so that a program under test can execve another riscv64
# program (proc.c re-executes itself).  Busybox's lines get the P flag
# (argv[0] kept, as Linux's execve keeps it): busybox runs an applet by
# execve of /proc/self/exe, which qemu turns into busybox's own path, and
# the applet is named by argv[0].
BINFMT_RULE = (r':rv64:M::\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00'
               r'\x02\x00\xf3\x00:\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff'
               r'\xff\xff\xff\xff\xfe\xff\xff\xff:%s:%s')
BINFMT_SCRIPT = ('%s -t binfmt_misc none /proc/sys/fs/binfmt_misc && '
                 'printf "%%b" "%s" > /proc/sys/fs/binfmt_misc/register && exec "$@"')
_binfmt = {}


def binfmt_wrapper(flags=''):
    """The command prefix that runs a program with riscv64 execve working
    (binfmt_misc flags: '' or 'P'), or [] where the host cannot make a
    private binfmt_misc."""
    if flags not in _binfmt:
        # the host's own tools, by path: the runs' PATH starts with busybox's applets
        qemu = shutil.which(QEMU_USER) or QEMU_USER
        unshare, mount = shutil.which('unshare'), shutil.which('mount')
        cmd = [unshare or 'unshare', '-U', '-r', '-m', '/bin/sh', '-c',
               BINFMT_SCRIPT % (mount or 'mount', BINFMT_RULE % (qemu, flags)), 'binfmt']
        try:
            ok = subprocess.run(cmd + ['true'], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, timeout=30).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            ok = False
        _binfmt[flags] = cmd if ok else []
    return _binfmt[flags]


def host_run(work, argv0, args, env):
    """Run a riscv64 program under qemu-riscv64 in a fresh folder under work,
    argv[0] being argv0 (None: its path, so that it can execute itself);
    its Result (status 124 if it timed out)."""
    cwd = tempfile.mkdtemp(dir=work, prefix='run-')
    out_path, err_path, empty = cwd + '.out', cwd + '.err', cwd + '.in'
    open(empty, 'w').close()
    with open(empty, 'rb') as i, open(out_path, 'wb') as o, open(err_path, 'wb') as e:
        # a test program executes itself by its path (binfmt_wrapper); busybox
        # runs applets through /proc/self/exe (binfmt_wrapper('P'); where the
        # host has no private binfmt_misc, it finds them on PATH: applet_wrappers)
        command = [QEMU_USER] + (['-0', argv0] if argv0 else []) + args
        p = subprocess.Popen(binfmt_wrapper('P' if argv0 else '') + command, cwd=cwd, env=env,
                             stdin=i,
                             stdout=o, stderr=e, start_new_session=True)
        try:
            status = p.wait(timeout=HOST_SECONDS)
        except subprocess.TimeoutExpired:
            status = None
        try:
            os.killpg(p.pid, 9)     # whatever the program or a wrapper left running
        except ProcessLookupError:
            pass
        if status is None:
            p.wait()
            status = 124
    with open(out_path, 'rb') as o, open(err_path, 'rb') as e:
        out = o.read().decode('utf-8', 'replace')
        err = e.read().decode('utf-8', 'replace')
    # a program killed by a signal: the status a shell would give
    return Result(status if status >= 0 else 128 - status, out, err)


# Checks where qemu-riscv64 itself is not Linux: {program: {check: why}}.
# The host's FAIL line of such a check is taken as "ok", what Linux prints;
# tests/suite_linuxkernel.py holds the real kernel to it.
QEMU_USER_NOT_LINUX = {
    'proc': dict.fromkeys(('vfork-shares-memory', 'posix-spawn-missing',
                           'posix-spawnp-missing', 'vfork-child-unmaps-parents-memory',
                           'vfork-child-replaces-parents-page'),
                          "qemu-user runs a vfork child (CLONE_VM|CLONE_VFORK) as a fork, "
                          "on a copy of its parent's memory, so the parent neither sees the "
                          "child's writes nor waits; glibc's posix_spawn loses its exec error"),
}


def as_linux(name, result):
    """A host result with the FAIL lines of QEMU_USER_NOT_LINUX checks made
    "ok", and status 0 if no other check failed."""
    wrong = QEMU_USER_NOT_LINUX.get(name)
    if not wrong:
        return result
    out = re.sub(r'^FAIL ([^:\s]+):.*$', lambda m: 'ok ' + m.group(1) if m.group(1) in wrong
                 else m.group(0), result.stdout, flags=re.M)
    status = 0 if result.status == 1 and not re.search(r'^FAIL ', out, re.M) else result.status
    return Result(status, out, result.stderr)


def host_results(h, names, lines):
    """{('prog', name) | ('line', i): Result} of the host runs."""
    work = os.path.join(os.path.dirname(h.log_dir), 'linux-host')
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    bindir = os.path.join(work, 'bin')
    os.makedirs(bindir)
    applet_wrappers(bindir)
    env = dict(ENV, PATH=bindir + ':' + ENV['PATH'])
    results = {}
    for name in names:
        results[('prog', name)] = as_linux(name, host_run(work, None,
                                                          [os.path.join(BUILT, 'tests', name)],
                                                          env))
    for i, line in enumerate(lines):
        results[('line', i)] = host_run(work, '/bin/busybox', [BUSYBOX, 'sh', '-c', line], env)
    return results


def sh_quote(word):
    """word as one word of Canopy's sh: '...', with each ' written '\\''."""
    return "'" + word.replace("'", "'\\''") + "'"


def canopy_script(names, lines):
    """The script the boot runs: each program and line between markers."""
    out = ['# written by tests/suite_linux.py', 'touch /tmp/lt-empty']
    steps = [('/tmp/lt-%s' % name, '/linux/' + name) for name in names]
    steps += [('/tmp/lc-%d' % i, '/bin/busybox sh -c ' + sh_quote(line))
              for i, line in enumerate(lines)]
    for i, (folder, command) in enumerate(steps):
        out += ['echo =BEGIN %d' % i, 'mkdir %s' % folder, 'cd %s' % folder,
                'timeout %d %s </tmp/lt-empty >%s.out' % (CANOPY_SECONDS, command, folder),
                'echo =STATUS $? %d' % i, 'cd /', 'cat %s.out' % folder, 'echo',
                'echo =END %d' % i,
                # the image has 512 inodes: what a step made goes before the next
                'rm -rf %s %s.out' % (folder, folder)]
    out.append('echo =DONE')
    return '\n'.join(out) + '\n'


def canopy_results(output):
    """{step: Result} from the boot's console: stdout between =STATUS and
    =END (less the newline the script adds), the rest of the console
    output from =BEGIN on as stderr."""
    found = {}
    pattern = re.compile(r'^=BEGIN (\d+)\n(.*?)^=STATUS (-?\d+) \1\n(.*?)\n=END \1$',
                         re.M | re.S)
    for m in pattern.finditer(output):
        found[int(m.group(1))] = Result(int(m.group(3)), m.group(4), m.group(2))
    return found


def make_disk(h, env, script):
    """A copy of the default image with the script at /lt/run.sh (mkfs -u
    merges a small image holding it into a copy of the image)."""
    work = env['work']
    host_script = os.path.join(work, 'linux-run.sh')
    with open(host_script, 'w') as f:
        f.write(script)
    small = os.path.join(work, 'linux-script.img')
    disk = os.path.join(work, 'linux-%s.img' % h.design)
    for path in (small, disk):
        if os.path.exists(path):
            os.remove(path)
    for args in ([env['CANOPY_MKFS'], '-b', '2048', '-i', '32', small,
                  '/lt/run.sh=' + host_script],
                 [env['CANOPY_MKFS'], '-u', small, env['CANOPY_FS_IMG'], disk]):
        p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
        if p.returncode != 0:
            raise RuntimeError('%s: %s' % (' '.join(args), p.stdout.decode().strip()))
    return disk


def short_diff(want, got):
    lines = list(difflib.unified_diff(want.splitlines(True), got.splitlines(True),
                                      'host', 'canopy', n=1))
    text = [repr(l.rstrip('\n'))[1:-1] if l[0] in ' +-' and not l.startswith(('---', '+++'))
            else l.rstrip('\n') for l in lines]
    more = len(text) - DIFF_LINES
    text = text[:DIFF_LINES] + (['... %d more lines' % more] if more > 0 else [])
    return '\n'.join('      ' + l for l in text)


def differences():
    """{program: {check: reason}} from tests/linux/differences.txt; check '*'
    means the program is not run on Canopy yet."""
    found = {}
    with open(os.path.join(SOURCES, 'differences.txt')) as f:
        for line in f:
            words = line.split('#')[0].split(None, 2)
            if len(words) == 3:
                found.setdefault(words[0], {})[words[1]] = words[2].strip()
    return found


def without_checks(stdout, checks):
    """stdout less the lines of the named checks; and whether one was a FAIL."""
    kept, failed = [], False
    for line in stdout.splitlines(True):
        m = re.match(r'^(ok|FAIL) ([^:\s]+)', line)
        if m and m.group(2) in checks:
            failed = failed or m.group(1) == 'FAIL'
            continue
        kept.append(line)
    return ''.join(kept), failed


def compare(h, name, host, canopy, log, known=None):
    if canopy is None:
        h.record(name, False, 'did not finish on Canopy (log: %s)' % log)
        return
    if known:
        host_out, _ = without_checks(host.stdout, known)
        canopy_out, failed = without_checks(canopy.stdout, known)
        status = canopy.status
        if failed and canopy.status == 1 and host.status == 0:
            status = 0      # the documented differences are the program's failures
        host = Result(host.status, host_out, host.stderr)
        canopy = Result(status, canopy_out, canopy.stderr)
    ok = host.status == canopy.status and host.stdout == canopy.stdout
    why = []
    if host.status != canopy.status:
        why.append('status %d on Canopy, %d on the host' % (canopy.status, host.status))
    if host.stdout != canopy.stdout:
        why.append('stdout differs')
    detail = '; '.join(why) + ' (log: %s)' % log
    if host.stdout != canopy.stdout:
        detail += '\n' + short_diff(host.stdout, canopy.stdout)
    err = [l for l in canopy.stderr.splitlines() if l.strip()]
    if err:
        detail += '\n      Canopy console: ' + ' | '.join(err[:3]) + \
            (' ...' if len(err) > 3 else '')
    h.record(name, ok, detail)


def missing_tools():
    """Why the programs cannot run on the host, or ''."""
    if not shutil.which(QEMU_USER):
        return '%s is missing' % QEMU_USER
    if not os.path.exists(BUSYBOX) or not os.path.exists(BUSYBOX + '.applets'):
        return '%s is missing' % BUSYBOX
    return ''


def run(h):
    global _host_results
    names, lines = programs(), corpus()
    why = missing_tools()
    if why:
        h.record('linux: qemu-riscv64 and busybox', False,
                 '%s: run tools/bootstrap, then scons' % why)
        return
    unbuilt = [n for n in names if not os.path.exists(os.path.join(BUILT, 'tests', n))]
    for n in unbuilt:
        h.record('linux: %s' % n, False, '%s is not built (riscv64-linux-gnu-gcc missing? run '
                 'tools/bootstrap, then scons)' % os.path.join('build/linux/tests', n))
    names = [n for n in names if n not in unbuilt]
    known = differences()
    names = [n for n in names if '*' not in known.get(n, {})]     # pending: not run yet
    env = fsimage.paths(h)
    if not env:
        return

    if _host_results is None or _host_results[:2] != (names, lines):
        _host_results = (names, lines, host_results(h, names, lines))
    host = _host_results[2]

    disk = make_disk(h, env, canopy_script(names, lines) + PROCFS_SCRIPT)
    steps = len(names) + len(lines) + 2     # /proc's checks take about two steps' time
    # the first design on 3 harts (processes and signals racing across harts), the other on 1
    b = h.boot('linux', 'sh /lt/run.sh', cpus=3 if not h.prefix else 1, disk=disk,
               timeout=min(h.timeout, BOOT_SECONDS + CANOPY_SECONDS * steps))
    h.boot_ok('linux', b)
    canopy = canopy_results(b.output)
    for i, name in enumerate(names):
        compare(h, 'linux: %s' % name, host[('prog', name)], canopy.get(i), b.log,
                known.get(name))
    for i, line in enumerate(lines):
        if str(i + 1) in known.get('corpus', {}):
            continue        # a documented difference not yet understood
        short = line if len(line) <= 50 else line[:47] + '...'
        compare(h, 'linux busybox %d: %s' % (i + 1, short),
                host[('line', i)], canopy.get(len(names) + i), b.log)
    h.record('linux: the script ran to its end', re.search(r'^=DONE$', b.output, re.M) is not None,
             'no =DONE line (log: %s)' % b.log)
    procfs_checks(h, b.output, b.log)
    programs_on_other_harts(h, env, names, host, known)
    vdso_without_traps(h, env)
    if not h.prefix:
        interactive_busybox(h, env)


def programs_on_other_harts(h, env, names, host, known):
    """The test programs again, on the hart count the main boot did not
    use (1 for the first design, 3 for the other), so that each design
    runs each of them on 1 hart and on 3."""
    cpus = 1 if not h.prefix else 3
    disk = make_disk(h, env, canopy_script(names, []))
    b = h.boot('linux-%dhart' % cpus, 'sh /lt/run.sh', cpus=cpus, disk=disk,
               timeout=min(h.timeout, BOOT_SECONDS + CANOPY_SECONDS * len(names)))
    h.boot_ok('linux-%dhart' % cpus, b)
    canopy = canopy_results(b.output)
    for i, name in enumerate(names):
        compare(h, 'linux (%d harts): %s' % (cpus, name), host[('prog', name)], canopy.get(i),
                b.log, known.get(name))


# /proc under busybox, after the programs and lines in the same boot: the
# tools that read it, then readers racing forks and exits on every hart
# (twice: Canopy's free -p counts free pages after each round)
# (Canopy's sh runs a script a line at a time: each busybox command is one line)
PROCFS_LINE = '; '.join([
    'echo =shell $$ $PPID', 'echo =ps', 'ps', 'echo =pso', 'ps -o pid,ppid,pgid,sid,comm,stat,vsz,rss,args',
    'echo =free', 'free', 'echo =uptime', 'uptime', 'echo =top', 'top -b -n 1',
    'echo =status', 'cat /proc/self/status', 'echo =readlink', 'readlink /proc/self',
    'echo =up1', 'cat /proc/uptime', 'sleep 1', 'echo =up2', 'cat /proc/uptime',
    'echo =meminfo', 'cat /proc/meminfo', 'echo =dd', 'dd if=/proc/meminfo bs=1 2>/dev/null | head -n 1',
    'echo =end'])
PROCFS_STRESS = ('for i in 1 2 3 4; do (for j in $(seq 25); do cat /proc/[0-9]*/stat /proc/[0-9]*/status '
                 '/proc/[0-9]*/cmdline >/dev/null 2>&1; ls /proc >/dev/null 2>&1; done) & done; '
                 'for j in $(seq 100); do /bin/true; (exit 3); done; wait')
PROCFS_SCRIPT = '\n'.join(['echo =PROCFS', 'cd /', '/bin/busybox sh -c ' + sh_quote(PROCFS_LINE)] +
                          ['/bin/busybox sh -c %s; free -p' % sh_quote(PROCFS_STRESS)] * 2 +
                          ['echo =PROCFS-END']) + '\n'


def procfs_checks(h, output, log):
    """What the /proc part of the boot printed (PROCFS_SCRIPT) is true."""
    m = re.search(r'^=PROCFS\n(.*?)^=PROCFS-END$', output.replace('\r', ''), re.M | re.S)
    text = m.group(1) if m else ''
    part = dict(re.findall(r'^=(\w+)[^\n]*\n(.*?)(?=^=\w)', text + '=x', re.M | re.S))
    shell = re.search(r'^=shell (\d+) (\d+)$', text, re.M)
    sh, parent = (shell.group(1), shell.group(2)) if shell else ('?', '?')
    def rec(what, ok, detail=''):
        h.record('linux: /proc: ' + what, bool(ok), '%s(log: %s)' % (detail, log))
    rec('busybox ps lists the shell with its arguments',
        re.search(r'^\s*%s\s+\S+\s+/bin/busybox sh -c echo' % sh, part.get('ps', ''), re.M))
    # the shell may not be waiting yet (its child runs ps on another hart); ps
    # runs in a fork of the shell that does not exec: its name and arguments are the shell's
    rec("ps -o: the shell's ppid, name, state and sizes; init; ps itself, the shell's running child",
        re.search(r'^\s*%s\s+%s\s+\d+\s+\d+\s+busybox\s+[RS]\s+[1-9]\d*\s+[1-9]\d*\s+/bin/busybox sh'
                  % (sh, parent), part.get('pso', ''), re.M) and
        re.search(r'^\s*1\s+0\s+1\s+1\s+init\s', part.get('pso', ''), re.M) and
        re.search(r'^\s*\d+\s+%s\s+\d+\s+\d+\s+busybox\s+R\s' % sh, part.get('pso', ''), re.M))
    total = re.search(r'^Mem:\s+(\d+)\s+(\d+)\s+(\d+)', part.get('free', ''), re.M)
    meminfo = re.search(r'^MemTotal:\s+(\d+) kB$', part.get('meminfo', ''), re.M)
    rec("free: the total is /proc/meminfo's, the 128 MiB less what the kernel keeps",
        total and meminfo and total.group(1) == meminfo.group(1) and
        0.9 * 131072 < int(total.group(1)) <= 131072 and
        int(total.group(2)) + int(total.group(3)) <= int(total.group(1)))
    up = [re.match(r'(\d+\.\d+) ', part.get(k, '')) for k in ('up1', 'up2')]
    rec("uptime: up under the boot's time; /proc/uptime grows by a sleep 1",
        re.search(r' up (\d+) min', part.get('uptime', '')) and
        int(re.search(r' up (\d+) min', part.get('uptime', '')).group(1)) < h.timeout / 60 + 1 and
        all(up) and 0 < float(up[0].group(1)) and 1.0 <= float(up[1].group(1)) - float(up[0].group(1)) < 30)
    rec("top -b -n 1: memory, load and the shell's line",
        re.search(r'^Mem: \d+K used, \d+K free', part.get('top', ''), re.M) and
        re.search(r'^Load average: [\d.]+ [\d.]+ [\d.]+ \d+/\d+ \d+', part.get('top', ''), re.M) and
        re.search(r'^\s*%s\s+%s\s' % (sh, parent), part.get('top', ''), re.M))
    status = part.get('status', '')
    pid, ppid = re.search(r'^Pid:\t(\d+)$', status, re.M), re.search(r'^PPid:\t(\d+)$', status, re.M)
    rec('/proc/self/status: its reader, running, the shell or its child',
        pid and ppid and re.search(r'^State:\tR \(running\)$', status, re.M) and
        (pid.group(1) == sh or ppid.group(1) == sh))
    link = part.get('readlink', '').strip()
    rec("readlink /proc/self: the shell's pid or a later one", link.isdigit() and sh.isdigit() and
        int(link) >= int(sh))
    rec('dd bs=1: /proc/meminfo a byte at a time', meminfo and
        part.get('dd', '').strip() == meminfo.group(0).strip())
    pages = [int(n) for n in re.findall(r'^pages\s+\d+\s+\d+\s+(\d+)$', text, re.M)]
    rec('readers racing forks and exits: no panic, no page lost',
        len(pages) == 2 and pages[1] >= pages[0] - 32, 'free pages after each round: %s ' % pages)


def vdso_without_traps(h, env):
    """glibc's clock calls run in the vDSO: tracing tests/linux/vdso.c (which
    makes 4,000 of them) shows none of them reaching the kernel."""
    disk = os.path.join(env['work'], 'linux-vdso-%s.img' % h.design)
    fsimage.copy_sparse(env['CANOPY_FS_IMG'], disk)
    b = h.boot('linux-vdso', 'trace 1 /linux/vdso; ' + SHARED_TEXT_CMD, cpus=1, disk=disk,
               timeout=120)
    out = b.output
    shared_text(h, b)
    clocks = len(re.findall(r'^\d+: syscall (clock_gettime|gettimeofday|clock_getres) ', out, re.M))
    traced = len(re.findall(r'^\d+: syscall \w+ ', out, re.M))
    h.record('linux: clock_gettime, gettimeofday and clock_getres run in the vDSO, no trap',
             b.status == 0 and re.search(r'^vdso: \d+ checks$', out, re.M) is not None and
             'FAIL' not in out and traced > 0 and clocks == 0,
             '%d clock calls traced of %d calls, status %s (log: %s)' % (clocks, traced, b.status,
                                                                       b.log))

# Two busybox processes, each exec'd (not forked) by the shell, alive at once;
# vmprint shows each one's page table.
SHARED_TEXT_CMD = ("busybox sh -c '/bin/busybox sleep 3 & a=$!; /bin/busybox sleep 3 & b=$!; "
                   "/bin/busybox sleep 1; vmprint $a; vmprint $b; wait'")


def text_pages(block):
    """{va: pa} of the user pages in the text region of one vmprint block."""
    m = re.search(r'^ (0x[0-9a-f]+)-(0x[0-9a-f]+) r-x private text', block, re.M)
    if not m:
        return {}
    lo, hi = int(m.group(1), 16), int(m.group(2), 16)
    pages = re.findall(r'va (0x[0-9a-f]+) pa (0x[0-9a-f]+)', block)
    return {int(va, 16): pa for va, pa in pages if lo <= int(va, 16) < hi}


def shared_text(h, b):
    """Exec of a 1.5 MB static binary maps its text from the page cache:
    two busybox processes map the same physical page at each text address
    both have touched."""
    blocks = re.split(r'^(?=pid \d+ \(busybox\) root )', b.output, flags=re.M)[1:]
    maps = [text_pages(blk) for blk in blocks[:2]]
    both = set(maps[0]) & set(maps[1]) if len(maps) == 2 else set()
    same = [va for va in both if maps[0][va] == maps[1][va]]
    h.record('linux: two busybox processes share their text pages through the page cache',
             len(both) >= 8 and len(same) == len(both),
             '%d text pages mapped in both, %d of them the same physical page (log: %s)' %
             (len(both), len(same), b.log))


def interactive_busybox(h, env):
    """busybox sh as the shell of the console (shell=busybox, scons run's
    default): a runaway job stopped by ^C, a command recalled by the up
    arrow, a command name completed by tab (`ech` to `echo`), and the
    shell restarted by init after exit."""
    disk = os.path.join(env['work'], 'linux-busybox-sh.img')
    fsimage.copy_sparse(env['CANOPY_FS_IMG'], disk)
    b = h.boot('linux-busybox-sh', None, cpus=2, disk=disk,
               bootargs='shell=busybox', timeout=90,
               input=[(b'# ', b'echo one-$((20+22))\n'), (b'one-42\n', b'yes\n'),
                      (b'y\ny\ny\n', b'\x03'), (b'# ', b'\x1b[A\x1b[A\n'),
                      (b'one-42\n', b'ech\ttab-$((1+1))\n'), (b'tab-2\n', b'exit\n'),
                      (b'restarting', b'/bin/poweroff\n')])
    out = b.output.replace('\r', '')
    h.record('linux: busybox sh on the console: ^C stops a job, the arrows recall history, '
             'tab completes',
             b.status == 0 and len(re.findall(r'^one-42$', out, re.M)) == 2 and '^C' in out and
             re.search(r'^tab-2$', out, re.M) is not None,
             'status %s (log: %s)' % (b.status, b.log))
