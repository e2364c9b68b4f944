#!/usr/bin/env python3
"""Checks what libdotasync exports (nm -D --defined-only).

usage: check_exports.py LIBRARY OBJECTS INCLUDE_DIR

OBJECTS is an archive of the library's object files (dotasync_internal).

1. Every function or object that the library defines in namespace dotasync and
   exports belongs to a class or function whose declaration in the public
   headers carries DOTASYNC_API: nothing of the library's own helpers leaks.
2. An inline variable whose address the headers use (a method tag) is marked
   DOTASYNC_API, and every detail entity marked DOTASYNC_API is used by the
   public headers beyond its own declaration (a template or an inline function
   calls it), or is one of the switches named in TEST_SWITCHES below.
3. Boost's, spdlog's and fmt's entities that the library instantiates keep
   default visibility (lib/pch/dotasync_pch.hpp): none is hidden in the
   library's object files, and Asio's per-thread call stacks are exported, so
   that the library and the program share one copy of each.

Weak symbols (template instantiations and inline functions that the library
happens to emit) are counted but not judged: the program has its own copies.
"""
import pathlib
import re
import subprocess
import sys

# Detail functions that no header template calls but that the library's tests
# and benchmarks call to choose a FileStream back-end; io/detail/file_backend.hpp
# documents them.
TEST_SWITCHES = {'file_backend_available', 'uring_unavailable_reason', 'current_file_backend',
                 'set_file_backend', 'to_string'}

PREFIXES = ('typeinfo name for ', 'typeinfo for ', 'vtable for ', 'VTT for ', 'guard variable for ',
            'non-virtual thunk to ', 'virtual thunk to ', 'covariant return thunk to ')


def nm(*args):
    out = subprocess.run(['nm', '-C', *args], check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        parts = line.split(' ', 2)
        if len(parts) == 3:
            yield parts[1], parts[2]


def strip_prefix(name):
    for p in PREFIXES:
        if name.startswith(p):
            return name[len(p):]
    return name


def entity(name):
    """The class or function a dotasync symbol belongs to: dotasync::X... or
    dotasync::detail::X... gives X."""
    m = re.match(r'dotasync::(?:detail::)?([A-Za-z_]\w*)', name)
    return m.group(1) if m else None


def marked_entities(headers):
    """Names declared with DOTASYNC_API, with the file and line declaring each."""
    marked = {}
    for path, text in headers.items():
        for number, line in enumerate(text.splitlines(), 1):
            if 'DOTASYNC_API' not in line or line.lstrip().startswith(('//', '#')):
                continue
            # Operators count as one entity, "operator", as entity() reads them.
            m = re.search(r'\b(?:class|struct) DOTASYNC_API (\w+)', line) or \
                re.search(r'DOTASYNC_API [^(]*?\b(operator)\W', line) or \
                re.search(r'DOTASYNC_API [^(=]*?\b(\w+)\(', line) or \
                re.search(r'DOTASYNC_API inline [^=]*?\b(\w+) =', line)
            if not m:
                sys.exit(f'{path}:{number}: DOTASYNC_API on a declaration this check cannot read: {line.strip()}')
            marked.setdefault(m.group(1), []).append((path, number, 'detail' in path.parts))
    return marked


def used_beyond_declaration(name, declarations, headers):
    pattern = re.compile(r'\b' + re.escape(name) + r'\b')
    declared = {(p, n) for p, n, _ in declarations}
    for path, text in headers.items():
        for number, line in enumerate(text.splitlines(), 1):
            if (path, number) in declared or line.lstrip().startswith('//'):
                continue
            if pattern.search(line.split('//')[0]):
                return True
    return False


def main():
    library, objects, include_dir = sys.argv[1], sys.argv[2], sys.argv[3]
    failures = []

    exported = list(nm('-D', '--defined-only', library))
    strong = [(t, strip_prefix(n)) for t, n in exported if t in 'TDBR']
    ours = [n for _, n in strong if n.startswith('dotasync::')]
    headers = {path: path.read_text() for path in sorted(pathlib.Path(include_dir).rglob('*.hpp'))}
    marked = marked_entities(headers)

    for name in sorted(set(ours)):
        if entity(name) not in marked:
            failures.append(f'exported but not marked DOTASYNC_API in a public header: {name}')

    for name, declarations in sorted(marked.items()):
        if not any(in_detail for _, _, in_detail in declarations) or name in TEST_SWITCHES:
            continue
        if not used_beyond_declaration(name, declarations, headers):
            failures.append(f'detail entity {name} is exported but no public header uses it')

    # An inline variable whose address names something (the Begin method
    # that EndXxx checks a result against) must be one object for the
    # library and the program, so it must be exported.
    everything = '\n'.join(headers.values())
    for path, text in headers.items():
        for m in re.finditer(r'^(DOTASYNC_API )?inline constexpr [\w:<>]+ (\w+) =', text, re.M):
            if m.group(1) is None and re.search(r'&(?:detail::)?' + m.group(2) + r'\b', everything):
                failures.append(f'{path}: the address of {m.group(2)} is used, but it is not marked DOTASYNC_API')

    # In the library's object files a hidden entity is still global (an
    # entity with internal linkage is local), so they tell the two apart.
    hidden_foreign = []
    listing = subprocess.run(['readelf', '-sW', '-C', objects], check=True, capture_output=True,
                             text=True).stdout
    for line in listing.splitlines():
        fields = line.split(None, 7)
        if len(fields) < 8 or fields[4] not in ('GLOBAL', 'WEAK', 'UNIQUE') or fields[5] != 'HIDDEN' \
                or fields[6] == 'UND':
            continue
        name = strip_prefix(fields[7])
        if name.startswith(('boost::', 'fmt::', 'spdlog::')) and 'dotasync' not in name:
            hidden_foreign.append(fields[7])
    for name in sorted(set(hidden_foreign))[:20]:
        failures.append(f'hidden in the library, so not shared with the program: {name}')

    exported_names = {strip_prefix(n) for _, n in exported}
    for impl in ('thread_context, boost::asio::detail::thread_info_base',
                 'strand_executor_service::strand_impl, unsigned char'):
        wanted = f'boost::asio::detail::call_stack<boost::asio::detail::{impl}>::top_'
        if wanted not in exported_names:
            failures.append(f'not exported: {wanted}')

    detail_strong = sum(1 for n in ours if n.startswith('dotasync::detail::'))
    print(f'{len(exported)} exported symbols: {len(ours)} functions and objects defined in namespace '
          f'dotasync ({detail_strong} in dotasync::detail), '
          f'{sum(1 for t, _ in exported if t not in "TDBR")} weak (template instantiations, inline code)')
    print(f'{len(marked)} names marked DOTASYNC_API')
    for f in failures:
        print('FAIL:', f)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
