#!/usr/bin/env python3
"""Turns every ```csharp block of the README into C# the consumer check compiles and runs, as written.

Block 1 (the quick start) is a whole program: it becomes a method with only its own using directives. Every
later block is a fragment of an app that has the quick start's using directives: it becomes a method with those,
its own using directives, and the lines of readme-preludes.cs.txt for its number (locals the fragment assumes,
taken from the consumer story's ReadmeContext). A block without a prelude section, or a prelude without a
block, fails: the README and the check change together.

Usage: readme_blocks.py README.md readme-preludes.cs.txt OUTPUT_DIR
"""
import pathlib
import re
import sys

readme, preludes_path, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
blocks = re.findall(r"^```csharp\n(.*?)^```", readme.read_text(encoding="utf-8"), re.S | re.M)
preludes = {}
for m in re.finditer(r"^// block (\d+):[^\n]*\n(.*?)(?=^// block \d+:|\Z)", preludes_path.read_text(encoding="utf-8"), re.S | re.M):
    preludes[int(m.group(1))] = m.group(2).rstrip() + "\n"

DIRECTIVE = re.compile(r"^\s*using\s+(static\s+)?[\w.]+(\s*=\s*[\w.]+)?\s*;\s*(//.*)?$")

def directive(line):
    return DIRECTIVE.match(line) is not None and not line.strip().startswith("using var ")

def split(block):
    usings, body = [], []
    for line in block.splitlines():
        if not body and directive(line):
            usings.append(line.split("//")[0].strip())
        elif body or line.strip():
            body.append(line)
    return usings, body

missing = [i for i in range(2, len(blocks) + 1) if i not in preludes]
extra = [i for i in preludes if i < 2 or i > len(blocks)]
if missing or extra:
    sys.exit(f"readme_blocks: README has {len(blocks)} C# blocks; preludes missing for {missing}, preludes without a block {extra} (edit {preludes_path.name})")

quick_usings, _ = split(blocks[0])
out.mkdir(parents=True, exist_ok=True)
calls = []
for n, block in enumerate(blocks, start=1):
    usings, body = split(block)
    if n > 1:
        usings = quick_usings + usings
    usings = sorted(set(usings), key=lambda u: (not u.startswith("using System"), u))
    prelude = preludes.get(n, "")
    text = "\n".join(usings) + "\n\nnamespace Consumer.Readme;\n\n"
    text += f"// README C# block {n}, as written (lines of {readme.name}); the prelude gives the locals it assumes.\n"
    text += f"internal static class Block{n}\n{{\n    public static async Task RunAsync(ReadmeContext ctx)\n    {{\n"
    text += "        await Task.Yield();\n"
    for line in prelude.splitlines():
        text += ("        " + line).rstrip() + "\n"
    text += "        // --- README ---\n"
    for line in body:
        text += ("        " + line).rstrip() + "\n"
    text += "    }\n}\n"
    (out / f"ReadmeBlock{n}.cs").write_text(text, encoding="utf-8")
    calls.append(n)

runner = "namespace Consumer.Readme;\n\n/// <summary>Runs the README's C# blocks in order.</summary>\ninternal static class ReadmeBlocks\n{\n    public static int Count => " + str(len(blocks)) + ";\n\n    public static async Task RunAsync(ReadmeContext ctx, int block)\n    {\n        switch (block)\n        {\n"
for n in calls:
    runner += f"            case {n}: await Block{n}.RunAsync(ctx); break;\n"
runner += "            default: throw new ArgumentOutOfRangeException(nameof(block));\n        }\n    }\n}\n"
(out / "ReadmeBlocks.cs").write_text(runner, encoding="utf-8")
print(f"readme_blocks: {len(blocks)} C# blocks written to {out}")
