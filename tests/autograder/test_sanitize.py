"""Nothing a student wrote runs in a browser: outputs and written answers are made inert, and
the page nbconvert makes from the notebook (as feedback and formgrader do) holds no live
markup of theirs; plain text and images stay."""

import base64
import re

import nbformat
import pytest
from IPython.core.formatters import DisplayFormatter
from IPython.display import HTML, SVG, Image, Javascript, Markdown
from nbconvert import HTMLExporter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from autograder.steps.sanitize import InertOutputs, inert_markdown, inert_output

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
ACTIVE = [
    HTML("<script>window.PWNED = 1</script>"),
    HTML('<img src=x onerror="window.PWNED = 2">'),
    Javascript("window.PWNED = 3"),
    SVG('<svg xmlns="http://www.w3.org/2000/svg"><script>window.PWNED = 4</script></svg>'),
    Markdown("<script>window.PWNED = 5</script>"),
]
ANSWER = (
    "My derivation: $\\|X\\|_F^2 = \\operatorname{tr}(X^T X)$, and $a<b$.\n\n"
    "<script>window.PWNED = 6</script>\n"
    '<img src=x onerror="window.PWNED = 7">\n'
    "[click](javascript:window.PWNED=8) [also](  JaVa&#115;cript:window.PWNED=9)\n"
    "[ok](https://d2l.ai) `a<b`\n\n"
    "[ref]: javascript:window.PWNED=10\n"
)


def display_output(obj):
    data, metadata = DisplayFormatter().format(obj)
    return new_output("display_data", data=data, metadata=metadata)


def answer_cell(source):
    cell = new_markdown_cell(source)
    cell.metadata["nbgrader"] = {"grade_id": "answer", "solution": True, "grade": True}
    return cell


def render(nb) -> str:
    """The cells as nbconvert renders them into a page (without the page's own scripts)."""
    body, _ = HTMLExporter(template_name="basic").from_notebook_node(nbformat.from_dict(nb))
    return body


LIVE = {
    "script": re.compile(r"<script", re.I),
    "event handler": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
    "script link": re.compile(r"<a[^>]*href=[\"']?\s*javascript:", re.I),
    "svg": re.compile(r"<svg|data:image/svg", re.I),
}


def live_markup(page: str) -> list[str]:
    return [name for name, pattern in LIVE.items() if pattern.search(page)]


def hostile_notebook():
    code = new_code_cell("shown()")
    code.outputs = [display_output(obj) for obj in ACTIVE]
    code.outputs.append(display_output(Image(PNG, format="png")))
    code.outputs.append(new_output("stream", name="stdout", text="plain <b>text</b>\n"))
    widget = {"application/vnd.jupyter.widget-view+json": {"model_id": "abc"}}
    code.outputs.append(new_output("display_data", data=widget))
    return new_notebook(cells=[answer_cell(ANSWER), code])


@pytest.fixture
def notebook():
    return InertOutputs().preprocess(hostile_notebook(), {})[0]


def test_the_hostile_notebook_would_run_its_markup_if_left_alone():
    assert live_markup(render(hostile_notebook())) == ["script", "event handler", "svg"]


def test_no_student_markup_or_script_survives_in_the_rendered_page(notebook):
    assert live_markup(render(notebook)) == []


def test_images_and_plain_text_stay(notebook):
    outputs = notebook.cells[1].outputs
    assert any("image/png" in o.get("data", {}) for o in outputs)
    assert outputs[-2].text == "plain <b>text</b>\n"
    assert "data:image/png;base64," in render(notebook)


def test_removed_outputs_are_shown_as_text():
    bundle = new_output("display_data", data={"text/html": "<b>hi</b>"})
    assert inert_output(bundle).data == {
        "text/plain": "[text/html output shown as text]\n<b>hi</b>"
    }


def test_an_image_that_is_not_base64_is_dropped():
    forged = new_output("display_data", data={"image/png": '"><script>x()</script>'})
    assert "image/png" not in inert_output(forged).data


def test_only_numeric_image_sizes_are_kept():
    meta = {"image/png": {"width": '1" onload="x()', "height": 20}, "isolated": True}
    out = inert_output(new_output("display_data", data={"image/png": "AAAA"}, metadata=meta))
    assert out.metadata == {"image/png": {"height": 20}}


def test_an_output_of_unknown_type_becomes_a_note():
    out = inert_output({"output_type": "update_display_data", "data": {"text/html": "<i>"}})
    assert out.output_type == "stream" and "removed" in out.text


def test_maths_and_safe_links_in_an_answer_still_read_the_same():
    text = inert_markdown(ANSWER)
    assert "$\\|X\\|_F^2 = \\operatorname{tr}(X^T X)$" in text and "$a\\lt b$" in text
    assert "[ok](https://d2l.ai)" in text and "<" not in text
    assert text.count("#link-removed") == 3


def test_tex_commands_that_make_links_do_nothing():
    assert "\\href{" not in inert_markdown("$\\href{javascript:x()}{click}$")


def test_only_written_answers_are_changed_not_the_instructions():
    instructions = new_markdown_cell("<b>Read this</b>")
    nb = InertOutputs().preprocess(new_notebook(cells=[instructions]), {})[0]
    assert nb.cells[0].source == "<b>Read this</b>"
