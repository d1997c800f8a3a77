"""obc-builder: K-12 tutoring contracts from typed inputs and a faithful clause library."""

from .version import __version__

__all__ = [
    "__version__",
    "assemble",
    "evaluate_rules",
    "generate_files",
    "load_contract",
    "render_docx",
    "render_markdown",
]


def __getattr__(name: str):  # type: ignore[no-untyped-def]
    # The public API is imported on first use, so that `import obc_builder` (and the CLI's --help) stays fast.
    if name == "assemble":
        from .assemble import assemble

        return assemble
    if name == "evaluate_rules":
        from .rules.engine import evaluate_rules

        return evaluate_rules
    if name == "generate_files":
        from .generate import generate_files

        return generate_files
    if name == "load_contract":
        from .loading import load_contract

        return load_contract
    if name == "render_docx":
        from .render.docx import render_docx

        return render_docx
    if name == "render_markdown":
        from .render.markdown import render_markdown

        return render_markdown
    raise AttributeError(name)
