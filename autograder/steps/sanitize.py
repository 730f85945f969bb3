"""`InertOutputs`: nothing a student wrote runs in a browser.

The autograded notebook is what the instructor opens in formgrader (on the origin of their
Jupyter server) and what the student's feedback page is made from. Student code can display
anything (HTML, SVG, JavaScript, Markdown with HTML, widget state), and a written answer is
Markdown, which may hold raw HTML and `javascript:` links. This step keeps what cannot run:
plain text and PNG/JPEG images (checked to be base64, so they cannot break out of the page's
`<img>` tag). Every other kind of output is shown as text instead. In the student's Markdown
answers no `<` survives (so no tag), link targets other than web and mail addresses are cut,
and the few TeX commands that make links or styles do nothing; the maths still renders.
"""

from __future__ import annotations

import html
import re

from nbformat.v4 import new_output
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder.notebooks import is_solution

KEPT_MIME = ("text/plain", "image/png", "image/jpeg")
IMAGE_MIME = ("image/png", "image/jpeg")
SHOWN_AS_TEXT_BYTES = 16 * 1024
_BASE64 = re.compile(r"[A-Za-z0-9+/=\s]*")
_SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
# Math and code, where `<` is written differently so that the text still reads the same.
_MATH_OR_CODE = re.compile(
    r"(?P<math>\$\$.+?\$\$|\$[^$\n]+\$|\\begin\{(?P<env>[A-Za-z*]+)\}.*?\\end\{(?P=env)\})"
    r"|(?P<code>(?P<ticks>`+).+?(?P=ticks))",
    re.S,
)
_INLINE_LINK = re.compile(r"(\]\(\s*)([^\s)]*)")
_REFERENCE_LINK = re.compile(r"^( {0,3}\[[^\]]+\]:\s*)(\S+)", re.M)
_ACTIVE_TEX = re.compile(r"\\(href|url|class|cssId|style|unicode|require|html)\b")


def _safe_target(target: str) -> bool:
    # Browsers drop whitespace and control codes inside a scheme, and entities are decoded
    # before a link is followed: look at the target the way a browser would.
    plain = html.unescape(target)
    plain = "".join(c for c in plain if c.isprintable() and not c.isspace() and c != "\\")
    plain = plain.lstrip("<")
    match = _SCHEME.match(plain.lower())
    return match is None or match.group(1) in _SAFE_SCHEMES


def _cut_link(match: re.Match) -> str:
    return match.group(1) + (match.group(2) if _safe_target(match.group(2)) else "#link-removed")


def inert_markdown(text: str) -> str:
    """`text` as Markdown that renders without HTML, scripts or unsafe links."""
    parts, last = [], 0
    for match in _MATH_OR_CODE.finditer(text):
        parts.append(text[last : match.start()].replace("<", "&lt;"))
        inner = match.group(0)
        if match.group("math"):
            parts.append(inner.replace("<", r"\lt "))
        else:
            parts.append(inner.replace("<", "\uff1c"))  # a code span shows entities verbatim
        last = match.end()
    parts.append(text[last:].replace("<", "&lt;"))
    text = "".join(parts)
    text = _INLINE_LINK.sub(_cut_link, text)
    text = _REFERENCE_LINK.sub(_cut_link, text)
    return _ACTIVE_TEX.sub(lambda m: r"\text{" + m.group(1) + "}", text)


def _as_text(value) -> str:
    if isinstance(value, list):
        value = "".join(str(v) for v in value)
    text = value if isinstance(value, str) else str(value)
    if len(text) > SHOWN_AS_TEXT_BYTES:
        text = text[:SHOWN_AS_TEXT_BYTES] + "\n[cut]"
    return text


def _image_metadata(metadata) -> dict:
    """Only numeric sizes survive: other image metadata ends up in the page's attributes."""
    kept = {}
    for mime in IMAGE_MIME:
        sizes = metadata.get(mime) if isinstance(metadata, dict) else None
        if isinstance(sizes, dict):
            clean = {
                k: v
                for k, v in sizes.items()
                if k in ("width", "height") and isinstance(v, int) and not isinstance(v, bool)
            }
            if clean:
                kept[mime] = clean
    return kept


def inert_output(output) -> object:
    """One cell output with nothing left that a browser would run."""
    kind = output.get("output_type")
    if kind == "stream":
        name = output.get("name") if output.get("name") in ("stdout", "stderr") else "stdout"
        return new_output("stream", name=name, text=_as_text(output.get("text", "")))
    if kind == "error":
        traceback = output.get("traceback")
        return new_output(
            "error",
            ename=_as_text(output.get("ename", "")),
            evalue=_as_text(output.get("evalue", "")),
            traceback=[_as_text(t) for t in traceback] if isinstance(traceback, list) else [],
        )
    if kind not in ("display_data", "execute_result"):
        return new_output("stream", name="stdout", text=f"[an output of type {kind!r} removed]\n")
    data = output.get("data") if isinstance(output.get("data"), dict) else {}
    kept, removed = {}, []
    for mime, value in data.items():
        if mime in IMAGE_MIME and isinstance(value, str) and _BASE64.fullmatch(value):
            kept[mime] = value
        elif mime == "text/plain":
            kept[mime] = _as_text(value)
        else:
            removed.append(mime)
    if removed and "text/plain" not in kept:
        shown = {m: data[m] for m in removed if m.startswith("text/") or m.endswith("+xml")}
        body = "\n".join(_as_text(v) for v in shown.values())
        kept["text/plain"] = f"[{', '.join(removed)} output shown as text]\n{body}".rstrip()
    clean = new_output(kind, data=kept, metadata=_image_metadata(output.get("metadata")))
    if kind == "execute_result":
        count = output.get("execution_count")
        clean.execution_count = count if isinstance(count, int) else None
    return clean


class InertOutputs(NbGraderPreprocessor):
    """Make every output and every written answer of a graded notebook inert."""

    def preprocess(self, nb, resources):
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = [inert_output(output) for output in cell.get("outputs", [])]
            elif cell.cell_type == "markdown" and is_solution(cell):
                cell.source = inert_markdown(cell.source)
        return nb, resources
