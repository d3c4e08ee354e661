#!/usr/bin/env python3
"""Brings every shipped project's PublicAPI.Unshipped.txt up to date with its code.

Builds each project under src/, reads the PublicApiAnalyzers diagnostics (RS0016: public symbol not
declared; RS0017: declared symbol no longer exists) and rewrites PublicAPI.Unshipped.txt sorted.
Review the diff: every line is a promise to the package's users.

Usage: python3 eng/update-public-api.py [project-dir ...]
"""
import pathlib, re, subprocess, sys

root = pathlib.Path(__file__).resolve().parent.parent
projects = [pathlib.Path(p).resolve() for p in sys.argv[1:]] or sorted(p.parent for p in (root / "src").glob("*/*.csproj"))
pattern = re.compile(r"error (RS0016|RS0017): Symbol '(.+?)' is (?:not part of|part of) the declared")
for proj in projects:
    unshipped = proj / "PublicAPI.Unshipped.txt"
    shipped = proj / "PublicAPI.Shipped.txt"
    for f in (unshipped, shipped):
        if not f.exists():
            f.write_text("#nullable enable\n")
    for _ in range(3):
        out = subprocess.run(["dotnet", "build", str(proj), "--no-incremental", "-p:TreatWarningsAsErrors=true", "-clp:NoSummary"],
                             capture_output=True, text=True).stdout
        add, remove = set(), set()
        for kind, sym in pattern.findall(out):
            (add if kind == "RS0016" else remove).add(sym)
        if not add and not remove:
            break
        lines = [l for l in unshipped.read_text().splitlines()[1:] if l.strip()]
        lines = sorted((set(lines) - remove) | add)
        unshipped.write_text("#nullable enable\n" + "".join(l + "\n" for l in lines))
        print(f"{proj.name}: +{len(add)} -{len(remove)}")
