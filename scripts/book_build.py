"""Build the book with warnings as errors, rendering the notebooks without executing them.

``make test`` executes every notebook once, under nbval; this build then checks that the
book itself (toc, cross-references, citations, directives) is sound, without running the
chapters a second time. ``make book`` is the build that executes.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    config = (ROOT / "_config.yml").read_text()
    config, n = re.subn(r"execute_notebooks:\s*\S+", 'execute_notebooks: "off"', config)
    if n != 1:
        print("_config.yml must set execute.execute_notebooks exactly once", file=sys.stderr)
        return 2
    # Jupyter Book resolves local extension folders relative to the config file, which this
    # script writes into _build/: make them absolute.
    config = re.sub(
        r"^(\s+\w+:\s*)(book/_ext)\s*$",
        lambda m: f"{m.group(1)}{(ROOT / m.group(2)).as_posix()}",
        config,
        flags=re.M,
    )
    out = ROOT / "_build"
    out.mkdir(exist_ok=True)
    test_config = out / "_config_noexec.yml"
    test_config.write_text(config)
    cmd = [
        str(Path(sys.executable).with_name("jupyter-book")),
        "build",
        str(ROOT),
        "-W",
        "-n",
        "--keep-going",
        "--all",
        "--config",
        str(test_config),
    ]
    return subprocess.call(cmd, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main())
