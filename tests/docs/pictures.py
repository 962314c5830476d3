#!/usr/bin/python3
"""pictures.py IOMMUSIM DOC.md [--update]: the text pictures in a document
are what `iommusim show` prints today, so the document cannot drift from
the model.

A picture is a marker line and the text block right after it:

    <!-- show: scenarios/tutorial/04-dma-ownership.scn --line 23 -->
    ```text
    ... what `iommusim show <those arguments>` prints ...
    ```

Without --update: exit 1 listing every picture that differs. With
--update: rewrite the blocks in place. Run from the source tree's root.
"""
import re
import shlex
import subprocess
import sys

MARKER = re.compile(r"^<!-- show: (.*) -->$")


def show(binary, args):
    out = subprocess.run([binary, "show", *shlex.split(args)], check=True,
                         capture_output=True, text=True)
    return out.stdout


def pictures(lines):
    """(marker index, block start, block end) for each marker"""
    for i, line in enumerate(lines):
        m = MARKER.match(line)
        if not m:
            continue
        if i + 1 >= len(lines) or lines[i + 1] != "```text":
            raise SystemExit(f"line {i + 1}: a marker needs a ```text block")
        end = lines.index("```", i + 2)
        yield m.group(1), i + 2, end


def main(argv):
    binary, doc = argv[1], argv[2]
    update = "--update" in argv[3:]
    with open(doc, encoding="utf-8") as f:
        lines = f.read().split("\n")
    stale, count = [], 0
    for args, start, end in reversed(list(pictures(lines))):
        count += 1
        want = show(binary, args).rstrip("\n").split("\n")
        if lines[start:end] != want:
            stale.append(args)
            lines[start:end] = want
    if update:
        with open(doc, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        print(f"{doc}: {len(stale)} of {count} pictures updated")
        return 0
    for args in stale:
        print(f"{doc}: stale picture: iommusim show {args} "
              f"(tests/docs/pictures.py IOMMUSIM {doc} --update)")
    print(f"pictures: {count - len(stale)} passed, {len(stale)} failed")
    return 1 if stale or not count else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
