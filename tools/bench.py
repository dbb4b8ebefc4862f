#!/usr/bin/env python3
"""The design comparison: boot each design's kernel, and Debian's Linux,
with identical QEMU settings (1 hart, MEM, the same virtio disk device),
alternating for several rounds (canopy classic linux canopy ...), and
compare the medians.

    bench.py --kernel canopy=build/canopy/kernel.elf \\
             --kernel classic=build/classic/kernel.elf [--rounds 3] [--quick] \\
             [--linux IMAGE --initramfs FILE.cpio.gz --linux-disk EXT4.img]

Two programs run:
- lbench (src/linuxbench), one static Linux binary, on all three kernels:
  on Canopy and classic from the image (/linux/lbench, file rows in /tmp),
  on Linux from its initramfs (file rows on the ext4 disk at /mnt);
- Canopy's own `bench` app (src/apps/bench) on the two designs only: the
  detail of Canopy against classic (rows the Linux ABI cannot express,
  such as the bare ecall, and page counts).
Each Canopy boot runs both, one after the other.

Prints the table and writes, in --out (build/bench): results.json,
table.md (the table as Markdown, for docs/results.md) and ratios.png (a
chart of the ratios).  Every ratio is oriented so that above 1 means
Canopy is better: other/canopy for times, canopy/other for throughputs;
"vs classic" and "vs linux" sit side by side.

Each boot reports, per row, the best and the median of the samples it
took; a kernel's value for a row is the median over rounds of those
medians (and its best the best of the bests).  A row's ratio is the ratio
of the two values shown beside it, so the two always agree; beside it, the
lowest and highest of the rounds' own ratios (the boots of a round run
back to back) show how much the host's load of the moment moved it.  The
checks inside Canopy divide two rows of one boot: their value is the
median over rounds of that quotient.  Rows that run the same code in both
designs (NOISE_ROWS) measure only the host's noise against classic: they
are marked so and never drawn as a win or a loss.

Boot rows: boot_to_first_program is the time from QEMU's start to the
first line lbench prints (BENCH-START), seen on the host;
boot_to_poweroff to QEMU's exit, of a boot running `lbench none` (no
rows).  Beside the table, perf uprobes on QEMU count traps
(riscv_cpu_do_interrupt), whole-TLB flushes (tlb_flush) and TLB fills
(riscv_cpu_tlb_fill) per operation for each kernel (`lbench ops`).
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import qemu  # noqa: E402

MEM = '256M'                    # identical for every boot: room for 64 MiB heaps, eager
HIGHER_IS_BETTER = {'MiB/s'}
# the same code in both designs: a ratio away from 1 is the host's noise
NOISE_ROWS = {'null_ecall', 'ugetpid', 'clock_vdso', 'lat_clock_gettime'}
# Linux's kernel command line; what follows -- goes to /init (src/linuxbench/init.sh)
LINUX_APPEND = 'console=ttyS0 quiet panic=1'
LBENCH = '/linux/lbench'                # on Canopy's disk
LBENCH_MARK = 'BENCH-START lbench'      # lbench's first line

# lbench's rows, grouped by what they measure (the table and chart keep this order)
GROUPS = [
    ('system calls', ['lat_syscall_null', 'lat_syscall_getpid', 'lat_clock_gettime']),
    ('pipes and switches', ['lat_pipe', 'bw_pipe', 'lat_ctx']),
    ('processes', ['lat_proc_fork', 'lat_proc_fork_8m', 'lat_proc_fork_8m_write',
                   'lat_proc_exec', 'lat_exec']),
    ('memory', ['lat_pagefault', 'lat_mmap', 'touch64m_one', 'touch64m_all']),
    ('files', ['bw_file_write_8m', 'bw_file_write_8m_fsync', 'bw_file_read_8m_cold',
               'bw_file_read_8m_cached', 'lat_fs_create_unlink']),
    ('boot', ['boot_to_first_program', 'boot_to_poweroff', 'boot_to_busybox_prompt']),
]
OWN_GROUP = 'Canopy\'s bench app (canopy vs classic)'

# Targets for the ratio (median, same run), and the checks inside Canopy.
TARGETS = [
    ('getpid', 'ratio', 20, 'null system call (getpid): classic/canopy >= 20'),
    ('pipe_throughput', 'ratio', 2, 'pipe throughput: canopy/classic >= 2'),
    ('fork_8m', 'ratio', 5, 'fork with 8 MiB of heap: classic/canopy >= 5'),
    ('sbrk64m_touch1', 'ratio', 50, 'sbrk 64 MiB + touch one page: classic/canopy >= 50'),
    ('sbrk64m_touchall', 'ratio', 1.0, 'sbrk 64 MiB + touch every page: classic/canopy >= 1'),
]
# Canopy against Linux (same binary): linux/canopy for times, >= target
LINUX_TARGETS = [
    ('lat_syscall_null', 1, 'null system call: linux/canopy >= 1'),
    ('lat_pagefault', 1, 'page fault: linux/canopy >= 1'),
    ('lat_proc_fork', 1, 'fork+exit+wait: linux/canopy >= 1'),
    ('lat_proc_fork_8m', 1, 'fork with 8 MiB: linux/canopy >= 1'),
    ('lat_proc_exec', 1, 'fork+exec+wait: linux/canopy >= 1'),
    ('lat_pipe', 1, 'pipe latency: linux/canopy >= 1'),
    ('lat_ctx', 1, 'context switch: linux/canopy >= 1'),
    ('touch64m_one', 1, '64 MiB touch-one: linux/canopy >= 1'),
    ('boot_to_first_program', 10, 'boot to first program: linux/canopy >= 10'),
]
CANOPY_CHECKS = [
    ('fork_exec', 'fork_small', '<=', 2, 'inside Canopy: fork+exec+wait / fork+wait <= 2'),
    ('getpid', 'ugetpid', '>=', 10, 'inside Canopy: getpid / ugetpid >= 10'),
    ('getpid', 'null_ecall', '<=', 2, 'inside Canopy: getpid / bare ecall (floor) <= 2'),
    ('lat_syscall_getpid', 'getpid', '<=', 1.1,
     "inside Canopy: a Linux program's getpid / a Canopy program's <= 1.1"),
    ('lat_clock_gettime', 'clock_vdso', '<=', 2,
     "inside Canopy: glibc's clock_gettime / Canopy's own vDSO clock <= 2"),
]

# Values Canopy's own column must stay within: (row, at most, what).
CANOPY_LIMITS = [
    ('boot_to_busybox_prompt', 500, 'QEMU start to the busybox prompt, 1 hart: <= 500 ms'),
]
BUSYBOX_PROMPT = b'~ # '        # busybox's sh, the console's shell with shell=busybox


def parse(output):
    """BENCH lines: {row: ('ok', unit, best, median) or ('na', reason)}, in order."""
    rows = {}
    for line in output.splitlines():
        m = re.match(r'^BENCH (\S+) n/a (.*)$', line)
        if m:
            rows[m.group(1)] = ('na', m.group(2).strip())
            continue
        m = re.match(r'^BENCH (\S+) (\S+) ([0-9.]+) ([0-9.]+) (\d+)\s*$', line)
        if m:
            rows[m.group(1)] = ('ok', m.group(2), float(m.group(3)), float(m.group(4)))
    return rows


class Kernel:
    """One column: a Canopy design (an ELF kernel booted with cmd=) or Linux
    (an Image, its initramfs and its ext4 disk).  Every boot gets a fresh
    copy of the kernel's disk, in the folder out."""

    def __init__(self, name, image, disk, out, initramfs=None):
        self.name, self.image, self.disk, self.out = name, image, disk, out
        self.initramfs = initramfs
        self.linux = initramfs is not None

    def fresh_disk(self):
        if not self.disk:
            return None
        path = os.path.join(self.out, 'disk-%s.img' % self.name)
        qemu.copy_sparse(self.disk, path)
        return path

    def command(self, lbench_args, own_cmd=None):
        """QEMU's argv for a boot running lbench with lbench_args (and, on
        Canopy, the command own_cmd before it), on a fresh disk."""
        disk = self.fresh_disk()
        if self.linux:
            return qemu.qemu_command(self.image, 1, MEM, disk=disk,
                                     extra=['-initrd', self.initramfs, '-no-reboot'],
                                     bootargs='%s -- %s' % (LINUX_APPEND, lbench_args))
        cmd = '%s %s' % (LBENCH, lbench_args)
        if own_cmd:
            cmd = own_cmd + '; ' + cmd
        return qemu.qemu_command(self.image, 1, MEM, cmd=cmd, disk=disk)

    def lbench_dir(self):
        return '/mnt' if self.linux else '/tmp'


class Run:
    """One boot: its output, seconds to QEMU's exit and to lbench's first line."""

    def __init__(self, output, seconds, first, timed_out):
        self.output, self.seconds, self.first, self.timed_out = output, seconds, first, timed_out

    def failed(self):
        """Why the boot gave no result, or None."""
        if self.timed_out:
            return 'timed out'
        if 'panic on hart' in self.output or 'Kernel panic' in self.output:
            return 'panic'
        if 'BENCH-END' not in self.output.split(LBENCH_MARK, 1)[-1]:
            return 'no BENCH-END from lbench'
        return None


def boot(argv, timeout):
    """Run QEMU (argv) to its exit or the timeout; a Run."""
    start = time.time()
    first = [None]
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)

    def on_data(data, chunks):
        if first[0] is None and LBENCH_MARK.encode() in b''.join(chunks[-2:]):
            first[0] = time.time() - start
    data, how = qemu.pump(proc, timeout, on_data, poll=0.002)
    output = data.decode('utf-8', 'replace').replace('\r\n', '\n')
    return Run(output, time.time() - start, first[0], how == 'timeout')


# QEMU functions counted with perf uprobes: a trap (exception or interrupt
# taken), a TLB fill (a guest access that missed QEMU's TLB) and a
# whole-TLB flush (sfence.vma, a satp write, and on QEMU before 8.1 every
# change of sstatus.SUM).
TRAP, FILL, FLUSH = 'riscv_cpu_do_interrupt', 'riscv_cpu_tlb_fill', 'tlb_flush'
PROBED = (TRAP, FILL, FLUSH)
TOUCH_MIB = 64
OPS = [('getpid', 'getpid', 20000, 'per getpid()'),
       ('pipe', 'pipe', 4096, 'per 4 KiB pipe write and read')]
# lbench ops WHAT N: the operations counted on all three kernels
LBENCH_OPS = [('null', 20000, 'getppid'), ('pipe', 2000, '1-byte pipe round trip'),
              ('fork', 200, 'fork+exit+wait'), ('exec', 100, 'fork+exec+wait'),
              ('fault', 8192, 'first touch of an anonymous page')]


def add_probes():
    """Put uprobes on this run's QEMU binary (dropping any left on another);
    False if perf cannot."""
    qemu_bin = shutil.which(qemu.emulator().binary)
    if not shutil.which('perf') or not qemu_bin:
        return False
    subprocess.run(['perf', 'probe', '-q', '-d', 'probe_qemu:*'],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for fn in PROBED:
        r = subprocess.run(['perf', 'probe', '-q', '-x', qemu_bin, '--add', fn],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if r.returncode != 0:
            return False
    return True


def qemu_events(argv, timeout):
    """{function: calls} of the probed QEMU functions over one boot (argv);
    None if perf cannot count."""
    events = ['probe_qemu:' + fn for fn in PROBED]
    try:
        # a session of its own: a timeout ends QEMU too, not just perf
        p = subprocess.Popen(['perf', 'stat', '-x,', '-e', ','.join(events), '--'] + argv,
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, universal_newlines=True,
                             start_new_session=True)
    except OSError:
        return None
    try:
        _, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, 9)
        p.communicate()
        return None
    counts = {}
    for line in err.splitlines():
        f = line.split(',')
        if len(f) > 2 and f[0].isdigit() and f[2].startswith('probe_qemu:'):
            counts[f[2].split(':', 1)[1]] = int(f[0])
    return counts if len(counts) == len(PROBED) else None


def canopy_argv(elf, cmd, bootargs=''):
    return qemu.qemu_command(elf, 1, MEM, cmd=cmd, bootargs=bootargs)


def event_delta(argv_with, argv_without, timeout):
    """{function: calls in the boot argv_with, less those in the boot argv_without}."""
    a = qemu_events(argv_with, timeout)
    b = qemu_events(argv_without, timeout)
    return None if a is None or b is None else {k: a[k] - b[k] for k in a}


def tlb_per_mib(kernels, timeout):
    """TLB fills per MiB touched, for each design and for Canopy without
    superpages: (fills touching TOUCH_MIB) - (fills touching none), per MiB.
    {} if perf or the probe is not available."""
    if not add_probes():
        return {}
    out = {}
    cases = [('canopy', 'canopy', ''), ('canopy (nosuperpages)', 'canopy', 'nosuperpages'),
             ('classic', 'classic', '')]
    elfs = {k.name: k.image for k in kernels}
    for label, design, bootargs in cases:
        d = event_delta(canopy_argv(elfs[design], 'bench touch %d' % TOUCH_MIB, bootargs),
                        canopy_argv(elfs[design], 'bench touch 0', bootargs), timeout)
        if d is None:
            return {}
        out[label] = d[FILL] / TOUCH_MIB
    return out


def events_per_op(kernels, timeout):
    """{design: {op: (flushes, fills) per operation}} of the bench app on
    the two designs (the boot doing n operations less one doing none)."""
    if not add_probes():
        return {}
    out = {}
    for k in kernels:
        if k.linux:
            continue
        for name, what, n, _ in OPS:
            d = event_delta(canopy_argv(k.image, 'bench ops %s %d' % (what, n)),
                            canopy_argv(k.image, 'bench ops %s 0' % what), timeout)
            if d is None:
                return {}
            out.setdefault(k.name, {})[name] = (d[FLUSH] / n, d[FILL] / n)
    return out


def lbench_events(kernels, timeout):
    """{kernel: {op: {trap, flush, fill: per operation}}} of `lbench ops`
    on every kernel (a boot doing n, less one doing none); {} without perf."""
    if not add_probes():
        return {}
    out = {}
    for k in kernels:
        base = qemu_events(k.command('ops none 0'), timeout)
        if base is None:
            return {}
        for what, n, _ in LBENCH_OPS:
            got = qemu_events(k.command('ops %s %d' % (what, n)), timeout)
            if got is None:
                return {}
            out.setdefault(k.name, {})[what] = {
                key: (got[fn] - base[fn]) / n for key, fn in
                (('traps', TRAP), ('flushes', FLUSH), ('fills', FILL))}
    return out


def host_description():
    cpu = platform.processor() or 'unknown cpu'
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    cpu = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    ver = qemu.emulator().describe()
    return {'uname': ' '.join(platform.uname()).strip(), 'cpu': cpu, 'host_cpus': os.cpu_count(),
            'qemu': ver}


def aggregate(per_round, unit):
    """Median of the rounds' medians; best of their bests."""
    medians = [r[3] for r in per_round]
    bests = [r[2] for r in per_round]
    best = max(bests) if unit in HIGHER_IS_BETTER else min(bests)
    return statistics.median(medians), best


def per_round(per_round_a, per_round_b, f):
    """f(a's median, b's median) of each round where both have one."""
    vals = [f(a[3], b[3]) for a, b in zip(per_round_a, per_round_b)
            if a[0] == 'ok' and b[0] == 'ok']
    return [v for v in vals if v is not None]


def paired(per_round_a, per_round_b, f):
    """Median over rounds of f(a's median, b's median)."""
    vals = per_round(per_round_a, per_round_b, f)
    return statistics.median(vals) if vals else None


def ratio(unit, canopy, other):
    """Above 1: Canopy is better."""
    if unit in HIGHER_IS_BETTER:
        return canopy / other if other else None
    if canopy == 0:
        return None if other else 1.0
    return other / canopy


def fmt(v, unit):
    if v is None:
        return 'n/a'
    if unit == 'pages':
        return '%d' % v
    if v >= 1000:
        return '%.0f' % v
    if v >= 10:
        return '%.1f' % v
    return '%.2f' % v


def fmt_ratio(r):
    if r is None:
        return 'n/a'
    return '%.0f' % r if r >= 100 else '%.1f' % r if r >= 10 else '%.2f' % r


def fmt_spread(spread, noise=False):
    """The rounds' lowest and highest ratio, and 'noise' for a row of the same code."""
    s = '' if not spread else '%s-%s' % tuple(fmt_ratio(v) for v in spread)
    return s + (' (same code: noise)' if noise else '')


def group_of(name, own):
    if own:
        return OWN_GROUP
    for group, names in GROUPS:
        if name in names:
            return group
    return 'other'


def run_rounds(a, kernels, own_cmd, lbench_args):
    """Boot every kernel once per round, alternating; {kernel: {row: [per
    round]}}, the rows' order, and the names of the bench app's rows."""
    results = {k.name: {} for k in kernels}
    order, own_rows = [], set()
    for rnd in range(1, a.rounds + 1):
        for k in kernels:
            args = '%s dir=%s' % (lbench_args, k.lbench_dir())
            b = boot(k.command(args, own_cmd), a.timeout)
            with open(os.path.join(a.out, '%s-round%d.log' % (k.name, rnd)), 'w') as f:
                f.write(b.output)
            why = b.failed()
            if why:
                sys.exit('bench.py: %s round %d did not finish (%s); log in %s' %
                         (k.name, rnd, why, a.out))
            own, lb = (b.output.split(LBENCH_MARK, 1) + [''])[:2] if not k.linux else ('', b.output)
            for part, is_own in ((own, True), (lb, False)):
                for name, r in parse(part).items():
                    if name not in order:
                        order.append(name)
                    if is_own:
                        own_rows.add(name)
                    results[k.name].setdefault(name, []).append(r)
            print('bench: round %d/%d %-7s %5.1f s' % (rnd, a.rounds, k.name, b.seconds))
            sys.stdout.flush()
    return results, order, own_rows


def boot_rows(kernels, results, order, quick, timeout):
    """boot_to_first_program and boot_to_poweroff of each kernel: boots
    running `lbench none` (no rows), QEMU start to lbench's first line and
    to QEMU's exit."""
    for k in kernels:
        first, whole = [], []
        for _ in range(3 if quick else 5):
            b = boot(k.command('none'), min(timeout, 120))
            if b.failed() is None and b.first is not None:
                first.append(b.first * 1000)
                whole.append(b.seconds * 1000)
        for name, times in (('boot_to_first_program', first), ('boot_to_poweroff', whole)):
            results[k.name][name] = [('ok', 'ms', min(times), statistics.median(times))] \
                if times else [('na', 'no boot finished')]
    for name in ('boot_to_first_program', 'boot_to_poweroff'):
        if name not in order:
            order.append(name)


def busybox_prompt_rows(kernels, results, order, quick):
    """boot_to_busybox_prompt of each Canopy design: QEMU start to busybox's
    first prompt, init's shell being busybox (shell=busybox, as `scons
    run` boots), 1 hart."""
    for k in kernels:
        if k.linux or not k.disk:
            continue
        times = []
        for _ in range(3 if quick else 5):
            t = qemu.time_to(k.image, BUSYBOX_PROMPT, disk=k.fresh_disk(), bootargs='shell=busybox')
            if t is not None:
                times.append(t * 1000)
        results[k.name]['boot_to_busybox_prompt'] = \
            [('ok', 'ms', min(times), statistics.median(times))] if times else \
            [('na', 'no prompt within 60 s')]
    if 'boot_to_busybox_prompt' not in order:
        order.append('boot_to_busybox_prompt')


def make_table(kernels, results, order, own_rows):
    """The rows: lbench's in GROUPS order, then the bench app's, each with
    its values, both ratios and their spreads."""
    names = [k.name for k in kernels]
    known = [n for _, ns in GROUPS for n in ns]
    lb = sorted([n for n in order if n not in own_rows],
                key=lambda n: known.index(n) if n in known else len(known))
    table = []
    for name in lb + [n for n in order if n in own_rows]:
        row = {'name': name, 'group': group_of(name, name in own_rows)}
        unit = None
        notes = []
        for d in names:
            got = results[d].get(name, [])
            ok = [r for r in got if r[0] == 'ok']
            if got and len(ok) == len(got):
                unit = ok[0][1]
                row[d], row[d + '_best'] = aggregate(ok, unit)
            else:
                row[d] = row[d + '_best'] = None
                if d == 'linux' and name in own_rows:
                    continue        # the bench app is Canopy's own: no Linux column
                reasons = [r[1] for r in got if r[0] == 'na'] or ['no result']
                notes.append((d, reasons[0]))
        if notes and len(notes) == len([d for d in names if results[d].get(name)]) and \
                len(set(why for _, why in notes)) == 1 and len(notes) > 1:
            row['note'] = 'all: ' + notes[0][1]
        elif notes:
            row['note'] = '; '.join('%s: %s' % n for n in notes)
        row['unit'] = unit or 'n/a'
        for other, key in (('classic', 'ratio'), ('linux', 'ratio_linux')):
            both = row.get('canopy') is not None and row.get(other) is not None
            row[key] = ratio(unit, row['canopy'], row.get(other)) if both else None
            rounds = per_round(results['canopy'][name], results[other][name],
                               lambda c, o: ratio(unit, c, o)) if both else []
            row[key + '_rounds'] = [min(rounds), max(rounds)] if rounds else None
        row['noise'] = name in NOISE_ROWS
        table.append(row)
    return table


def make_checks(table, results):
    by_name = {r['name']: r for r in table}
    checks = []
    for name, _, target, what in TARGETS:
        r = by_name.get(name, {}).get('ratio')
        checks.append({'what': what, 'value': r, 'target': target,
                       'met': None if r is None else r >= target})
    for name, target, what in LINUX_TARGETS:
        r = by_name.get(name, {}).get('ratio_linux')
        checks.append({'what': what, 'value': r, 'target': target,
                       'met': None if r is None else r >= target})
    for num, den, op, target, what in CANOPY_CHECKS:
        mine = results['canopy']
        v = (paired(mine[num], mine[den], lambda n, d: n / d if d else None)
             if num in mine and den in mine else None)
        met = None if v is None else v >= target if op == '>=' else v <= target
        checks.append({'what': what, 'value': v, 'target': target, 'met': met})
    for name, limit, what in CANOPY_LIMITS:
        v = results['canopy'].get(name)
        v = v[0][3] if v and v[0][0] == 'ok' else None
        checks.append({'what': what, 'value': v, 'target': limit,
                       'met': None if v is None else v <= limit})
    return checks


def markdown(table, checks, names, header):
    cols = ' | '.join(names)
    lines = ['| row | unit | %s | vs classic | vs linux | rounds (classic; linux) |' % cols,
             '|---|---|%s---:|---:|---|' % ('---:|' * (len(names) + 1))]
    group = None
    for r in table:
        if r['group'] != group:
            group = r['group']
            lines.append('| **%s** |%s' % (group, ' |' * (len(names) + 4)))
        spread = fmt_spread(r['ratio_rounds'], r['noise'])
        if r.get('ratio_linux_rounds'):
            spread += '; ' + fmt_spread(r['ratio_linux_rounds'])
        lines.append('| %s | %s | %s | %s | %s | %s |' % (
            r['name'], r['unit'], ' | '.join(fmt(r.get(d), r['unit']) for d in names),
            fmt_ratio(r['ratio']), fmt_ratio(r.get('ratio_linux')) if 'linux' in names
            else '', spread))
    notes = ['- %s: %s' % (r['name'], r['note']) for r in table if r.get('note')]
    target_lines = ['| target | measured | met |', '|---|---:|---|']
    for c in checks:
        target_lines.append('| %s | %s | %s |' % (c['what'], fmt_ratio(c['value']),
                                                   {True: 'yes', False: '**no**',
                                                    None: 'not measured'}[c['met']]))
    return '\n'.join([header, '',
                      'Ratios: above 1 means Canopy is better (other/canopy for times, '
                      'canopy/other for MiB/s).', ''] + lines + [''] + target_lines +
                     ([''] + notes if notes else [])) + '\n'


def event_lines(tlb, per_op, lb_ops, names):
    lines = []
    if lb_ops:
        lines += ['', '| QEMU events per operation (lbench ops) | ' +
                  ' | '.join('%s traps | %s flushes | %s fills' % (d, d, d) for d in names) +
                  ' |', '|---|' + '---:|' * (3 * len(names))]
        for what, _, label in LBENCH_OPS:
            cells = []
            for d in names:
                e = lb_ops[d][what]
                cells += ['%.2f' % e['traps'], '%.2f' % e['flushes'], '%.1f' % e['fills']]
            lines.append('| %s | %s |' % (label, ' | '.join(cells)))
    else:
        lines += ['', 'QEMU events per operation (lbench ops): not measured (a quick run, '
                  'or perf or its uprobe on QEMU is not available)']
    if tlb:
        lines += ['', '| TLB fills per MiB touched (bench app, riscv_cpu_tlb_fill) | fills |',
                  '|---|---:|'] + ['| %s | %.0f |' % (k, v) for k, v in tlb.items()]
    if per_op:
        lines += ['', '| QEMU events per operation (bench app) | canopy flushes | canopy fills | '
                  'classic flushes | classic fills |', '|---|---:|---:|---:|---:|']
        for name, _, _, label in OPS:
            c, k = per_op['canopy'][name], per_op['classic'][name]
            lines.append('| %s %s | %.2f | %.1f | %.2f | %.1f |' % (
                name, label, c[0], c[1], k[0], k[1]))
    return lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--kernel', action='append', required=True, metavar='DESIGN=ELF')
    ap.add_argument('--rounds', type=int, default=3)
    ap.add_argument('--quick', action='store_true')
    ap.add_argument('--rows', default='', help='only these rows (name prefixes)')
    ap.add_argument('--out', default='build/bench')
    ap.add_argument('--timeout', type=float, default=600)
    ap.add_argument('--command', default='', help='the command line, for the record')
    ap.add_argument('--disk', help='file-system image: each Canopy boot gets a fresh copy')
    ap.add_argument('--linux', metavar='IMAGE', help="Linux's Image: adds the linux column")
    ap.add_argument('--initramfs', help="Linux's initramfs (lbench in it)")
    ap.add_argument('--linux-disk', help="Linux's ext4 disk: each boot gets a fresh copy")
    ap.add_argument('--record', metavar='FILE.md',
                    help='also put the table into FILE.md, between the markers of this QEMU')
    a = ap.parse_args()

    pairs = [k.split('=', 1) for k in a.kernel]
    if [d for d, _ in pairs] != ['canopy', 'classic']:
        sys.exit('bench.py: want --kernel canopy=... --kernel classic=..., in that order')
    os.makedirs(a.out, exist_ok=True)
    kernels = [Kernel(d, elf, a.disk, a.out) for d, elf in pairs]
    if a.linux:
        if not a.initramfs:
            sys.exit('bench.py: --linux needs --initramfs')
        kernels.append(Kernel('linux', a.linux, a.linux_disk, a.out, a.initramfs))
    names = [k.name for k in kernels]
    own_cmd = 'bench' + (' quick' if a.quick else '') + (' ' + a.rows if a.rows else '')
    lbench_args = ('quick' if a.quick else '') + (' ' + a.rows if a.rows else '')
    os.makedirs(a.out, exist_ok=True)

    print('bench: on %s; kernels: %s' % (qemu.emulator().describe(), ', '.join(names)))
    start = time.time()
    results, order, own_rows = run_rounds(a, kernels, own_cmd, lbench_args.strip())
    boot_rows(kernels, results, order, a.quick, a.timeout)
    busybox_prompt_rows(kernels, results, order, a.quick)
    for k in kernels:       # a kernel without some row still gets its column
        for name in order:
            results[k.name].setdefault(name, [])
    if 'linux' not in names:
        results['linux'] = {n: [] for n in order}
    table = make_table(kernels, results, order, own_rows)
    checks = make_checks(table, results)

    host = host_description()
    date = datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')
    command = a.command or ' '.join(sys.argv)
    header = '`%s` — %s, %d round(s)%s, on %s (%s, %s host CPUs, %s)%s' % (
        command, date, a.rounds, ', quick' if a.quick else '', host['uname'], host['cpu'],
        host['host_cpus'], host['qemu'],
        '; Linux %s' % linux_version(a.linux) if a.linux else '; no Linux column')
    md = markdown(table, checks, names, header)
    print('bench: counting QEMU events (perf)')
    sys.stdout.flush()
    tlb = tlb_per_mib(kernels, a.timeout)
    per_op = events_per_op(kernels, a.timeout)
    # under perf a Linux boot takes about 30 s (every TLB fill is probed): full runs only
    lb_ops = {} if a.quick else lbench_events(kernels, a.timeout)
    ev_lines = event_lines(tlb, per_op, lb_ops, names)
    with open(os.path.join(a.out, 'table.md'), 'w') as f:
        f.write(md + '\n'.join(ev_lines) + '\n')
    keys = ['name', 'group', 'unit'] + names + [d + '_best' for d in names] + \
        ['ratio', 'ratio_rounds', 'ratio_linux', 'ratio_linux_rounds', 'noise', 'note']
    with open(os.path.join(a.out, 'results.json'), 'w') as f:
        json.dump({'host': host, 'date': date, 'command': command, 'rounds': a.rounds,
                   'quick': a.quick, 'mem': MEM, 'cpus': 1, 'kernels': names,
                   'linux': linux_version(a.linux) if a.linux else None,
                   'rows': [{k: r.get(k) for k in keys} for r in table],
                   'targets': checks, 'tlb_fills_per_mib': tlb,
                   'qemu_events_per_op': {d: {op: {'flushes': v[0], 'fills': v[1]}
                                              for op, v in ops_.items()}
                                          for d, ops_ in per_op.items()},
                   'lbench_events_per_op': lb_ops}, f, indent=1)
        f.write('\n')
    chart = os.path.join(a.out, 'ratios.png')
    why_no_chart = plot(table, checks, chart, date, a.quick, 'linux' in names)

    if a.record:
        record(a.record, open(os.path.join(a.out, 'table.md')).read())
    print_table(table, checks, names, ev_lines)
    print('%d boots in %.0f s; wrote %s, %s, %s' % (
        a.rounds * len(kernels), time.time() - start, os.path.join(a.out, 'results.json'),
        os.path.join(a.out, 'table.md'), chart if not why_no_chart else
        '(no chart: %s)' % why_no_chart))
    return 0


def linux_version(image):
    """The version tools/bootstrap wrote beside the Image, else the file's name."""
    path = os.path.join(os.path.dirname(image), 'version')
    try:
        return open(path).read().strip()
    except OSError:
        return os.path.basename(image)


def print_table(table, checks, names, ev_lines):
    print()
    print('%-24s %-6s' % ('row', 'unit') + ''.join('%11s' % d for d in names) +
          '%11s%11s  %s' % ('vs classic', 'vs linux', 'rounds (classic; linux)'))
    group = None
    for r in table:
        if r['group'] != group:
            group = r['group']
            print('-- %s' % group)
        spread = fmt_spread(r['ratio_rounds'], r['noise'])
        if r.get('ratio_linux_rounds'):
            spread += '; ' + fmt_spread(r['ratio_linux_rounds'])
        print('%-24s %-6s' % (r['name'], r['unit']) +
              ''.join('%11s' % fmt(r.get(d), r['unit']) for d in names) +
              '%11s%11s  %s%s' % (fmt_ratio(r['ratio']), fmt_ratio(r.get('ratio_linux')),
                                  spread, '   (' + r['note'] + ')' if r.get('note') else ''))
    print('ratios: other/canopy for times and pages, canopy/other for MiB/s; '
          'above 1 means Canopy is better')
    print()
    for c in checks:
        print('%-4s %-52s %s' % ({True: 'met', False: 'MISS', None: '--'}[c['met']], c['what'],
                                 fmt_ratio(c['value'])))
    print()
    for line in ev_lines[1:]:
        print(line)
    print()


def record(path, table_md):
    """Replace what lies between this QEMU's markers in the Markdown file
    path (docs/results.md) with table_md; add the markers at its end, under
    a heading, if they are not there yet."""
    major = (qemu.emulator().version or 'unknown').split('.')[0]
    begin = '<!-- scons bench RECORD=1, QEMU %s: begin -->' % major
    end = '<!-- scons bench RECORD=1, QEMU %s: end -->' % major
    with open(path) as f:
        text = f.read()
    block = '%s\n%s\n%s' % (begin, table_md.strip(), end)
    if begin in text and end in text:
        text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip('\n') + '\n\n### On QEMU %s\n\n%s\n' % (major, block)
    with open(path, 'w') as f:
        f.write(text)
    print('bench: recorded in %s' % path)


def plot(table, checks, path, date, quick, with_linux):
    """A horizontal bar chart of both ratios per row, log scale, 1 marked,
    rows grouped under their group's name.  None, or why not."""
    try:
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
        from matplotlib.patches import Patch
        from matplotlib.lines import Line2D
    except ImportError as e:
        return 'matplotlib missing (%s): tools/bootstrap installs python3-matplotlib' % e
    targets = {name: t for name, _, t, _ in TARGETS}
    linux_targets = {name: t for name, t, _ in LINUX_TARGETS}
    # y positions from the top: a line per group title, then its rows
    labels, ys, entries = [], [], []
    y, group = 0, None
    for r in table:
        if r['group'] != group:
            group = r['group']
            labels.append(group.upper())
            ys.append(y)
            y += 1
        labels.append(r['name'])
        ys.append(y)
        entries.append((y, r))
        y += 1
    fig, ax = plt.subplots(figsize=(9, 0.34 * y + 1.8))
    vs_classic, vs_linux, noise = '#4f7cac', '#d9822b', '#d0d0d0'
    h = 0.38 if with_linux else 0.7
    known = [v for _, r in entries for v in (r['ratio'], r.get('ratio_linux')) if v]
    lo = min(known + [1]) / 2
    hi = max(known + [1]) * 4
    for yy, r in entries:
        bars = [('ratio', -h / 2 if with_linux else 0, vs_classic, targets)]
        if with_linux and r['group'] != OWN_GROUP:
            bars.append(('ratio_linux', h / 2, vs_linux, linux_targets))
        for key, off, color, tg in bars:
            v = r.get(key)
            if v is None:
                continue
            ax.barh(yy + off, v, height=h, color=noise if key == 'ratio' and r['noise']
                    else color)
            ax.text(v * 1.08, yy + off, fmt_ratio(v), va='center', fontsize=6.5)
            if r['name'] in tg:
                ax.plot([tg[r['name']]], [yy + off], marker='|', color='black', markersize=9,
                        markeredgewidth=2)
        if r['ratio'] is None and r.get('ratio_linux') is None:
            ax.text(lo * 1.1, yy, 'n/a: ' + (r.get('note') or 'no result')[:80], va='center',
                    fontsize=6.5, color='#555555')
    ax.set_yticks(ys)
    ax.set_yticklabels(labels, fontsize=7)
    for t, label in zip(ax.get_yticklabels(), labels):
        if label.isupper() or label == OWN_GROUP.upper():
            t.set_fontweight('bold')
    ax.invert_yaxis()
    ax.set_xscale('log')
    ax.axvline(1, color='black', linewidth=1)
    handles = [Patch(color=vs_classic, label='Canopy vs classic (classic/canopy)')]
    if with_linux:
        handles.append(Patch(color=vs_linux, label='Canopy vs Linux (linux/canopy)'))
    handles += [Patch(color=noise, label='same code as classic: noise'),
                Line2D([], [], color='black', marker='|', linestyle='None', markersize=10,
                       markeredgewidth=2, label='target')]
    ax.legend(handles=handles, loc='lower right', fontsize=7, framealpha=0.9)
    ax.set_xlabel('ratio, log scale (> 1: Canopy better; MiB/s rows: canopy/other)')
    ax.set_title('Canopy vs classic%s, 1 hart\n%s, %s%s' % (
        ' vs Linux' if with_linux else '', qemu.emulator().describe().split(' (')[0], date,
        ', quick' if quick else ''), fontsize=9)
    ax.set_xlim(lo, hi)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return None


if __name__ == '__main__':
    sys.exit(main())
