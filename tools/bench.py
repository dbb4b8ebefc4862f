#!/usr/bin/env python3
"""The design comparison: boot each design's kernel with identical QEMU
settings (1 hart), run the `bench` app, alternate the designs for several
rounds (A B A B ...), and compare the medians.

    bench.py --kernel canopy=build/canopy/kernel.elf \\
             --kernel classic=build/classic/kernel.elf [--rounds 3] [--quick]

Prints a side-by-side table and writes, in --out (build/bench):
results.json, table.md (the table as Markdown, for docs/results.md) and
ratios.png (a bar chart of the ratios).  A ratio above 1 means Canopy is
better: classic/canopy for times and page counts, canopy/classic for
throughputs.

Each boot reports, per row, the best and the median of the samples it
took; a design's value for a row is the median over rounds of those
medians (and its best the best of the bests).  A row's ratio is the ratio
of the two values shown beside it, so the two always agree; beside it, the
lowest and highest of the rounds' own ratios (the two boots of a round run
back to back) show how much the host's load of the moment moved it.  The
checks inside Canopy divide two rows of one boot: their value is the
median over rounds of that quotient.  Rows that run the same code in both
designs (NOISE_ROWS) measure only the host's noise: they are marked so and
never drawn as a win or a loss.
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

BUSYBOX_PROMPT = b'~ # '        # busybox's sh, the console's shell with shell=busybox
MEM = '256M'                    # identical for every boot: room for 64 MiB heaps, eager
HIGHER_IS_BETTER = {'MiB/s'}
# the same code in both designs: a ratio away from 1 is the host's noise
NOISE_ROWS = {'null_ecall', 'ugetpid', 'clock_vdso'}

# Targets for the ratio (median, same run), and the checks inside Canopy.
TARGETS = [
    ('getpid', 'ratio', 20, 'null system call (getpid): classic/canopy >= 20'),
    ('pipe_throughput', 'ratio', 2, 'pipe throughput: canopy/classic >= 2'),
    ('fork_8m', 'ratio', 5, 'fork with 8 MiB of heap: classic/canopy >= 5'),
    ('sbrk64m_touch1', 'ratio', 50, 'sbrk 64 MiB + touch one page: classic/canopy >= 50'),
    ('sbrk64m_touchall', 'ratio', 1.0, 'sbrk 64 MiB + touch every page: classic/canopy >= 1'),
]
CANOPY_CHECKS = [
    ('fork_exec', 'fork_small', '<=', 2, 'inside Canopy: fork+exec+wait / fork+wait <= 2'),
    ('getpid', 'ugetpid', '>=', 10, 'inside Canopy: getpid / ugetpid >= 10'),
    ('getpid', 'null_ecall', '<=', 2, 'inside Canopy: getpid / bare ecall (floor) <= 2'),
]

# Values Canopy's own column must stay within: (row, at most, what).
CANOPY_LIMITS = [
    ('boot_to_busybox_prompt', 500, 'QEMU start to the busybox prompt, 1 hart: <= 500 ms'),
]


def parse(output):
    """BENCH lines of one boot: {row: ('ok', unit, best, median) or ('na', reason)}, in order."""
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


# QEMU functions counted with perf uprobes: a TLB fill (a guest access that
# missed QEMU's TLB) and a whole-TLB flush (sfence.vma, a satp write, and on
# QEMU before 8.1 every change of sstatus.SUM).
FILL, FLUSH = 'riscv_cpu_tlb_fill', 'tlb_flush'
TOUCH_MIB = 64
OPS = [('getpid', 'getpid', 20000, 'per getpid()'),
       ('pipe', 'pipe', 4096, 'per 4 KiB pipe write and read')]


def add_probes():
    """Put uprobes on this run's QEMU binary (dropping any left on another);
    False if perf cannot."""
    qemu_bin = shutil.which(qemu.emulator().binary)
    if not shutil.which('perf') or not qemu_bin:
        return False
    subprocess.run(['perf', 'probe', '-q', '-d', 'probe_qemu:*'],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for fn in (FILL, FLUSH):
        r = subprocess.run(['perf', 'probe', '-q', '-x', qemu_bin, '--add', fn],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if r.returncode != 0:
            return False
    return True


def qemu_events(elf, cmd, bootargs, timeout):
    """{function: calls} of the probed QEMU functions over one boot running
    cmd; None if perf cannot count."""
    events = ['probe_qemu:' + fn for fn in (FILL, FLUSH)]
    argv = ['perf', 'stat', '-x,', '-e', ','.join(events), '--'] + qemu.qemu_command(
        elf, 1, MEM, cmd=cmd, bootargs=bootargs)
    try:
        r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired):
        return None
    counts = {}
    for line in r.stderr.splitlines():
        f = line.split(',')
        if len(f) > 2 and f[0].isdigit() and f[2].startswith('probe_qemu:'):
            counts[f[2].split(':', 1)[1]] = int(f[0])
    return counts if len(counts) == 2 else None


def event_delta(elf, cmd_with, cmd_without, bootargs, timeout):
    """{function: calls in the boot running cmd_with, less those in one running cmd_without}."""
    a = qemu_events(elf, cmd_with, bootargs, timeout)
    b = qemu_events(elf, cmd_without, bootargs, timeout)
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
    elfs = dict(kernels)
    for label, design, bootargs in cases:
        d = event_delta(elfs[design], 'bench touch %d' % TOUCH_MIB, 'bench touch 0', bootargs,
                        timeout)
        if d is None:
            return {}
        out[label] = d[FILL] / TOUCH_MIB
    return out


def events_per_op(kernels, timeout):
    """{design: {op: (flushes, fills) per operation}} on this QEMU (the
    boot doing n operations less one doing none); {} without perf."""
    if not add_probes():
        return {}
    out = {}
    for design, elf in kernels:
        for name, what, n, _ in OPS:
            d = event_delta(elf, 'bench ops %s %d' % (what, n), 'bench ops %s 0' % what, '',
                            timeout)
            if d is None:
                return {}
            out.setdefault(design, {})[name] = (d[FLUSH] / n, d[FILL] / n)
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


def ratio(unit, canopy, classic):
    """Above 1: Canopy is better."""
    if unit in HIGHER_IS_BETTER:
        return canopy / classic if classic else None
    if canopy == 0:
        return None if classic else 1.0
    return classic / canopy


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


def fmt_spread(row):
    """The rounds' lowest and highest ratio, and 'noise' for a row of the same code."""
    s = '' if not row.get('ratio_rounds') else '%s-%s' % tuple(
        fmt_ratio(v) for v in row['ratio_rounds'])
    return s + (' (same code: noise)' if row.get('noise') else '')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--kernel', action='append', required=True, metavar='DESIGN=ELF')
    ap.add_argument('--rounds', type=int, default=3)
    ap.add_argument('--quick', action='store_true')
    ap.add_argument('--rows', default='', help='only these rows (bench app prefixes)')
    ap.add_argument('--out', default='build/bench')
    ap.add_argument('--timeout', type=float, default=600)
    ap.add_argument('--command', default='', help='the command line, for the record')
    ap.add_argument('--disk', help='file-system image: each boot gets a fresh copy of it')
    ap.add_argument('--record', metavar='FILE.md',
                    help='also put the table into FILE.md, between the markers of this QEMU')
    a = ap.parse_args()

    kernels = [k.split('=', 1) for k in a.kernel]
    designs = [d for d, _ in kernels]
    if designs != ['canopy', 'classic']:
        sys.exit('bench.py: want --kernel canopy=... --kernel classic=..., in that order')
    cmd = 'bench' + (' quick' if a.quick else '') + (' ' + a.rows if a.rows else '')
    os.makedirs(a.out, exist_ok=True)

    print('bench: on %s' % qemu.emulator().describe())
    start = time.time()
    results = {d: {} for d in designs}     # design -> row -> list of per-round tuples
    order = []
    for rnd in range(1, a.rounds + 1):
        for design, elf in kernels:
            disk = None
            if a.disk:      # the same starting disk for every boot
                disk = os.path.join(a.out, 'disk.img')
                shutil.copyfile(a.disk, disk)
            b = qemu.boot(elf, cmd, cpus=1, mem=MEM, timeout=a.timeout, disk=disk)
            with open(os.path.join(a.out, '%s-round%d.log' % (design, rnd)), 'w') as f:
                f.write(b.output)
            if b.timed_out or b.panicked or 'BENCH-END' not in b.output:
                sys.exit('bench.py: %s round %d did not finish (%s); log in %s' %
                         (design, rnd, 'timed out' if b.timed_out else 'panic'
                          if b.panicked else 'no BENCH-END', a.out))
            rows = parse(b.output)
            for name, r in rows.items():
                if name not in order:
                    order.append(name)
                results[design].setdefault(name, []).append(r)
            print('bench: round %d/%d %-7s %5.1f s' % (rnd, a.rounds, design, b.seconds))
            sys.stdout.flush()

    # the whole boot: QEMU start (OpenSBI, kernel, init, sh -c true) to power-off, 1 hart, 128M
    for design, elf in kernels:
        times = []
        for _ in range(3 if a.quick else 5):
            b = qemu.boot(elf, 'true', cpus=1, mem='128M', timeout=60)
            if b.status == 0:
                times.append(b.seconds * 1000)
        if times:
            results[design]['boot_to_poweroff'] = [('ok', 'ms', min(times),
                                                   statistics.median(times))]
    if 'boot_to_poweroff' not in order:
        order.append('boot_to_poweroff')
    # QEMU start to busybox's first prompt (init's shell=busybox, as `scons run`), 1 hart
    if a.disk:
        for design, elf in kernels:
            times = []
            for _ in range(3 if a.quick else 5):
                disk = os.path.join(a.out, 'disk.img')
                shutil.copyfile(a.disk, disk)
                t = qemu.time_to(elf, BUSYBOX_PROMPT, disk=disk, bootargs='shell=busybox')
                if t is not None:
                    times.append(t * 1000)
            if times:
                results[design]['boot_to_busybox_prompt'] = [('ok', 'ms', min(times),
                                                             statistics.median(times))]
        order.append('boot_to_busybox_prompt')

    table = []
    for name in order:
        row = {'name': name}
        unit = None
        for d in designs:
            got = results[d].get(name, [])
            ok = [r for r in got if r[0] == 'ok']
            if got and len(ok) == len(got):
                unit = ok[0][1]
                row[d], row[d + '_best'] = aggregate(ok, unit)
            else:
                row[d] = row[d + '_best'] = None
                reasons = [r[1] for r in got if r[0] == 'na'] or ['no result']
                row.setdefault('notes', []).append((d, reasons[0]))
        notes = row.pop('notes', [])
        if len(notes) == len(designs) and len(set(why for _, why in notes)) == 1:
            row['note'] = 'both designs: ' + notes[0][1]
        elif notes:
            row['note'] = '; '.join('%s: %s' % n for n in notes)
        row['unit'] = unit or 'n/a'
        both = row['canopy'] is not None and row['classic'] is not None
        row['ratio'] = ratio(unit, row['canopy'], row['classic']) if both else None
        rounds = (per_round(results['canopy'][name], results['classic'][name],
                            lambda c, k: ratio(unit, c, k)) if both else [])
        row['ratio_rounds'] = [min(rounds), max(rounds)] if rounds else None
        row['noise'] = name in NOISE_ROWS
        table.append(row)
    by_name = {r['name']: r for r in table}

    checks = []
    for name, _, target, what in TARGETS:
        r = by_name.get(name, {}).get('ratio')
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

    host = host_description()
    date = datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')
    command = a.command or ' '.join(sys.argv)
    lines = ['| row | unit | canopy | classic | ratio (>1: Canopy better) | rounds |',
             '|---|---|---:|---:|---:|---|']
    for r in table:
        lines.append('| %s | %s | %s | %s | %s | %s |' % (
            r['name'], r['unit'], fmt(r['canopy'], r['unit']), fmt(r['classic'], r['unit']),
            fmt_ratio(r['ratio']), fmt_spread(r)))
    notes = ['- %s: %s' % (r['name'], r['note']) for r in table if r.get('note')]
    target_lines = ['| target | measured | met |', '|---|---:|---|']
    for c in checks:
        target_lines.append('| %s | %s | %s |' % (c['what'], fmt_ratio(c['value']),
                                                   {True: 'yes', False: '**no**',
                                                    None: 'not measured'}[c['met']]))
    md = '\n'.join(['`%s` — %s, %d round(s)%s, on %s (%s, %s host CPUs, %s)' % (
        command, date, a.rounds, ', quick' if a.quick else '', host['uname'], host['cpu'],
        host['host_cpus'], host['qemu']), ''] + lines + [''] + target_lines +
        ([''] + notes if notes else [])) + '\n'
    with open(os.path.join(a.out, 'table.md'), 'w') as f:
        f.write(md)
    with open(os.path.join(a.out, 'results.json'), 'w') as f:
        json.dump({'host': host, 'date': date, 'command': command, 'rounds': a.rounds,
                   'quick': a.quick, 'mem': MEM, 'cpus': 1,
                   'rows': [{k: r.get(k) for k in ('name', 'unit', 'canopy', 'classic', 'ratio',
                                                     'ratio_rounds', 'noise', 'canopy_best',
                                                     'classic_best', 'note')}
                            for r in table],
                   'targets': checks}, f, indent=1)
        f.write('\n')
    chart = os.path.join(a.out, 'ratios.png')
    why_no_chart = plot(table, checks, chart, date, a.quick)
    tlb = tlb_per_mib(kernels, a.timeout)
    tlb_lines = (['', '| TLB fills per MiB touched (perf uprobe on QEMU\'s riscv_cpu_tlb_fill) | fills |',
                  '|---|---:|'] + ['| %s | %.0f |' % (k, v) for k, v in tlb.items()]) if tlb else \
        ['', 'TLB fills per MiB: not measured (perf, or its uprobe on QEMU, is not available)']
    per_op = events_per_op(kernels, a.timeout)
    if per_op:
        tlb_lines += ['', '| QEMU events per operation | canopy flushes | canopy fills | '
                      'classic flushes | classic fills |', '|---|---:|---:|---:|---:|']
        for name, _, _, label in OPS:
            c, k = per_op['canopy'][name], per_op['classic'][name]
            tlb_lines.append('| %s %s | %.2f | %.1f | %.2f | %.1f |' % (
                name, label, c[0], c[1], k[0], k[1]))
    with open(os.path.join(a.out, 'table.md'), 'a') as f:
        f.write('\n'.join(tlb_lines) + '\n')
    with open(os.path.join(a.out, 'results.json')) as f:
        saved = json.load(f)
    saved['tlb_fills_per_mib'] = tlb
    saved['qemu_events_per_op'] = {d: {op: {'flushes': v[0], 'fills': v[1]}
                                       for op, v in ops_.items()}
                                   for d, ops_ in per_op.items()}
    with open(os.path.join(a.out, 'results.json'), 'w') as f:
        json.dump(saved, f, indent=1)
        f.write('\n')

    if a.record:
        record(a.record, open(os.path.join(a.out, 'table.md')).read())
    print()
    print('%-24s %-6s %12s %12s %10s  %s' % ('row', 'unit', 'canopy', 'classic', 'ratio',
                                              'rounds'))
    for r in table:
        print('%-24s %-6s %12s %12s %10s  %s%s' % (
            r['name'], r['unit'], fmt(r['canopy'], r['unit']), fmt(r['classic'], r['unit']),
            fmt_ratio(r['ratio']), fmt_spread(r),
            '   (' + r['note'] + ')' if r.get('note') else ''))
    print('ratio: classic/canopy for times and pages, canopy/classic for MiB/s; '
          'above 1 means Canopy is better')
    print()
    for c in checks:
        print('%-4s %-52s %s' % ({True: 'met', False: 'MISS', None: '--'}[c['met']], c['what'],
                                 fmt_ratio(c['value'])))
    print()
    for line in tlb_lines[1:]:
        print(line)
    print()
    print('%d boots in %.0f s; wrote %s, %s, %s' % (
        a.rounds * len(kernels), time.time() - start, os.path.join(a.out, 'results.json'),
        os.path.join(a.out, 'table.md'), chart if not why_no_chart else
        '(no chart: %s)' % why_no_chart))
    return 0


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


def plot(table, checks, path, date, quick):
    """A horizontal bar chart of the ratios, log scale, 1 marked.  None, or why not."""
    try:
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
    except ImportError as e:
        return 'matplotlib missing (%s): tools/bootstrap installs python3-matplotlib' % e
    rows = list(reversed(table))
    targets = {name: t for name, _, t, _ in TARGETS}
    fig, ax = plt.subplots(figsize=(8, 0.38 * len(rows) + 1.6))
    names = [r['name'] for r in rows]
    values = [r['ratio'] if r['ratio'] is not None else 0 for r in rows]
    better, worse, even, noise = '#3a7d44', '#b5483b', '#888888', '#d9d9d9'
    colors = [noise if r.get('noise') else better if v >= 1.1 else worse if v <= 0.9 else even
              for r, v in zip(rows, values)]
    ax.barh(names, values, color=colors)
    ax.set_xscale('log')
    ax.axvline(1, color='black', linewidth=1)
    known = [v for v in values if v > 0] or [1]
    lo = min(known + [1]) / 2
    hi = max(known + [1]) * 4
    for i, r in enumerate(rows):
        if r['ratio'] is None:
            ax.text(lo * 1.1, i, 'n/a: ' + (r.get('note') or 'no result')[:70], va='center',
                    fontsize=7, color='#555555')
            continue
        ax.text(r['ratio'] * 1.08, i, fmt_ratio(r['ratio']), va='center', fontsize=8)
        if r['name'] in targets:
            ax.plot([targets[r['name']]], [i], marker='|', color='#1f4e9c', markersize=16,
                    markeredgewidth=2)
    from matplotlib.patches import Patch
    from matplotlib.lines import Line2D
    ax.legend(handles=[Patch(color=better, label='Canopy better (ratio >= 1.1)'),
                       Patch(color=worse, label='classic better (ratio <= 0.9)'),
                       Patch(color=even, label='within 10 %'),
                       Patch(color=noise, label='same code in both: noise'),
                       Line2D([], [], color='#1f4e9c', marker='|', linestyle='None',
                              markersize=12, markeredgewidth=2, label='target')],
              loc='lower right', fontsize=7, framealpha=0.9)
    ax.set_xlabel('ratio, log scale (> 1: Canopy better)')
    ax.set_title('Canopy vs classic (KPTI, eager heap, copying fork), 1 hart\n%s, %s%s' %
                 (qemu.emulator().describe().split(' (')[0], date, ', quick' if quick else ''),
                 fontsize=9)
    ax.set_xlim(lo, hi)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return None


if __name__ == '__main__':
    sys.exit(main())
