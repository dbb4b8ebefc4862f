#!/usr/bin/env python3
"""Check the documentation's links: README.md and docs/*.md.

    tools/linkcheck.py [FILE.md ...]

For each file (by default README.md and every docs/*.md):

- every relative link [text](path) must name an existing file or folder,
  relative to the file that holds the link;
- every #anchor, alone or after a path to a Markdown file, must name a
  heading of that file (GitHub's rule: lower case, punctuation dropped,
  spaces made hyphens, "-1", "-2", ... after repeats);
- every inline code span that is a path in the tree (`src/...`,
  `tests/...`, `tools/...`, `docs/...`) must exist; a path with `*` must
  match at least one file, and one with `<...>` (a placeholder, as in
  `src/apps/<name>/`) is checked up to the placeholder;
- every inline code span that names a function, `name()` or
  `name(args)`, must name one the tree defines or declares (in src/ or
  tools/: a C definition or prototype, a macro, or a Python def), or a
  C library or POSIX call user programs make (LIBRARY_CALLS).

Links to web addresses (http:, https:, mailto:) are not checked.  Code
blocks (fenced with ``` or ~~~) are skipped.  Prints each dangling link or
path as FILE:LINE: what, and exits 1 if there is any; else prints one line
saying what was checked and exits 0.  Python standard library only.
"""
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TREE_PREFIXES = ('src/', 'tests/', 'tools/', 'docs/')
FUNCTION = re.compile(r'^([A-Za-z_][A-Za-z0-9_]*)\([^()]*\)$')
# calls of the C library and POSIX that the docs name as what programs do
LIBRARY_CALLS = {'printf', 'malloc', 'free', 'exit', 'wait', 'fork', 'exec', 'execve', 'kill',
                 'sleep', 'read', 'write', 'open', 'close', 'pipe', 'sbrk', 'mmap', 'munmap',
                 'msync', 'getpid', 'clock_gettime', 'link', 'unlink', 'dup', 'fstat', 'stat',
                 'chdir', 'mkdir', 'uptime', 'sysinfo', 'vfork', 'clone'}

FENCE = re.compile(r'^\s{0,3}(```|~~~)')
HEADING = re.compile(r'^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$')
CODE_SPAN = re.compile(r'(`+)(.+?)(?<!`)\1(?!`)', re.S)
LINK = re.compile(r'!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)')


def strip_fences(text):
    """text with fenced code blocks blanked out (line numbers kept)."""
    out, fence = [], None
    for line in text.split('\n'):
        m = FENCE.match(line)
        if fence:
            if m and m.group(1) == fence:
                fence = None
            out.append('')
        elif m:
            fence = m.group(1)
            out.append('')
        else:
            out.append(line)
    return '\n'.join(out)


def slug(heading):
    """GitHub's anchor for a heading's text."""
    text = re.sub(r'!?\[([^\]]*)\]\([^)]*\)', r'\1', heading)    # a link: its text
    text = re.sub(r'<[^>]+>', '', text).strip().lower()
    text = ''.join(c for c in text if c.isalnum() or c in ' -_')
    return text.replace(' ', '-')


_anchors = {}


def anchors(path):
    """The anchors of a Markdown file's headings."""
    if path not in _anchors:
        seen, found = {}, set()
        with open(path, encoding='utf-8') as f:
            for line in strip_fences(f.read()).split('\n'):
                m = HEADING.match(line)
                if not m:
                    continue
                s = slug(m.group(2))
                n = seen.get(s, 0)
                seen[s] = n + 1
                found.add(s if n == 0 else '%s-%d' % (s, n))
        _anchors[path] = found
    return _anchors[path]


def line_of(text, offset):
    return text.count('\n', 0, offset) + 1


def tree_path_ok(p):
    """Does the backquoted tree path p exist?"""
    if '<' in p:                                # a placeholder: check what comes before it
        p = p[:p.index('<')]
        p = p[:p.rfind('/') + 1] if '/' in p else p
    p = p.rstrip('/') or '.'
    full = os.path.join(ROOT, p)
    if any(c in p for c in '*?['):
        return bool(glob.glob(full))
    return os.path.exists(full)


_names = None


def defined_names():
    """Every name the tree defines or declares as a function or macro."""
    global _names
    if _names is None:
        _names = set()
        c_def = re.compile(r'^[A-Za-z_][^;=(]*?\b([A-Za-z_][A-Za-z0-9_]*)\s*\(', re.M)
        c_macro = re.compile(r'^\s*#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)', re.M)
        c_split = re.compile(r'^([A-Za-z_][A-Za-z0-9_]*)\(', re.M)     # name( on its own line
        py_def = re.compile(r'^\s*def\s+([A-Za-z_][A-Za-z0-9_]*)', re.M)
        asm_label = re.compile(r'^([A-Za-z_][A-Za-z0-9_]*):', re.M)
        for pattern in ('src/**/*.[chS]', 'tools/*.c', 'tools/*.py', 'tests/*.py'):
            for f in glob.glob(os.path.join(ROOT, pattern), recursive=True):
                with open(f, encoding='utf-8', errors='replace') as fh:
                    text = fh.read()
                for rx in (c_def, c_macro, c_split, py_def, asm_label):
                    _names.update(rx.findall(text))
    return _names


def check(path):
    """[(line, message)] for what is dangling in the Markdown file path."""
    with open(path, encoding='utf-8') as f:
        text = strip_fences(f.read())
    here = os.path.dirname(path)
    bad = []
    counts = [0, 0, 0]

    # code spans first: a path in backquotes, and no link is looked for inside one
    def code(m):
        body = m.group(2).strip()
        if body.startswith(TREE_PREFIXES) and not re.search(r'\s', body):
            counts[1] += 1
            if not tree_path_ok(body):
                bad.append((line_of(text, m.start()), 'no such path: `%s`' % body))
        f = FUNCTION.match(body)
        if f:
            counts[2] += 1
            if f.group(1) not in defined_names() and f.group(1) not in LIBRARY_CALLS:
                bad.append((line_of(text, m.start()), 'no such function: `%s`' % body))
        return ' ' * len(m.group(0))               # keep the offsets
    prose = CODE_SPAN.sub(code, text)

    for m in LINK.finditer(prose):
        target = m.group(1)
        if not target or re.match(r'^[a-z][a-z0-9+.-]*:', target, re.I):
            continue                            # a web address, mailto:, ...
        counts[0] += 1
        where = line_of(prose, m.start())
        file_part, _, anchor = target.partition('#')
        dest = os.path.normpath(os.path.join(here, file_part)) if file_part else path
        if not os.path.exists(dest):
            bad.append((where, 'no such file: %s' % target))
            continue
        if anchor:
            if not dest.endswith('.md') or os.path.isdir(dest):
                bad.append((where, 'an anchor in a file that is not Markdown: %s' % target))
            elif anchor not in anchors(dest):
                bad.append((where, 'no heading for #%s in %s' % (
                    anchor, os.path.relpath(dest, ROOT))))
    return bad, counts


def main(argv):
    files = argv[1:] or [os.path.join(ROOT, 'README.md')] + \
        sorted(glob.glob(os.path.join(ROOT, 'docs', '*.md')))
    total_bad, links, paths, functions = 0, 0, 0, 0
    for path in files:
        path = os.path.abspath(path)
        bad, (n_links, n_paths, n_functions) = check(path)
        links += n_links
        paths += n_paths
        functions += n_functions
        for line, what in bad:
            print('%s:%d: %s' % (os.path.relpath(path, ROOT), line, what))
        total_bad += len(bad)
    if total_bad:
        print('linkcheck: %d dangling in %d files' % (total_bad, len(files)))
        return 1
    print('linkcheck: %d files, %d links, %d paths, %d functions: all resolve' % (
        len(files), links, paths, functions))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
