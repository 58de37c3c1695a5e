"""Rendering user- and tutor-written text safely.

Python-Markdown recurses once per nesting level (500 nested list markers
overflow the stack) and its link parser is quadratic in runs of brackets, so
the renderer is given only texts it handles fast: links and images are off
(the sanitiser drops them anyway), and a text nested too deep or too long is
refused where it is written (the tutor's form, `bank check`) and, if one is
already stored, shown as plain escaped text instead.
"""

from __future__ import annotations

import re

import markdown as md
import nh3
from markupsafe import Markup, escape

MAX_MARKDOWN_CHARS = 60_000
MAX_MARKDOWN_DEPTH = 16

_ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "blockquote",
    "h2", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td", "hr", "code", "pre",
    "span", "sup", "sub",
}
# Links and images are not in the allowlist, raw HTML is shown as text, and a
# typed entity (&lt;) stays the text typed: none of these patterns earns its cost.
_INLINE_OFF = (
    "link", "image_link", "reference", "image_reference", "short_reference",
    "short_image_ref", "autolink", "automail", "html", "entity",
)
# One container opener at the start of a line: a blockquote mark or a list marker.
_CONTAINER = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))")


def _line_depth(line: str) -> int:
    indent = len(line) - len(line.lstrip(" \t"))
    depth, pos = 0, 0
    while match := _CONTAINER.match(line, pos):
        depth += 1
        pos = match.end()
    return depth + len(line[:indent].expandtabs(4)) // 4


def markdown_issue(text: str | None) -> tuple[int, str] | None:
    """(line, why) when the renderer must not be given ``text``; None when it is fine."""
    text = text or ""
    if len(text) > MAX_MARKDOWN_CHARS:
        return 1, f"内容有 {len(text)} 个字符，超过 Markdown 上限 {MAX_MARKDOWN_CHARS} 个字符"
    for number, line in enumerate(text.splitlines(), 1):
        depth = _line_depth(line)
        if depth > MAX_MARKDOWN_DEPTH:
            return number, f"第 {number} 行嵌套了 {depth} 层列表或引用，最多 {MAX_MARKDOWN_DEPTH} 层"
    return None


def markdown_problem(text: str | None) -> str | None:
    """Why the renderer must not be given ``text`` (in Chinese), or None when it is fine."""
    issue = markdown_issue(text)
    return issue[1] if issue else None


def _converter() -> md.Markdown:
    converter = md.Markdown(extensions=["tables", "sane_lists"], output_format="html")
    converter.preprocessors.deregister("html_block")
    for name in _INLINE_OFF:
        converter.inlinePatterns.deregister(name, strict=False)
    return converter


def _plain(text: str) -> Markup:
    # Linear whatever the input: paragraphs of escaped lines.
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return Markup("\n").join(
        Markup("<p>{}</p>").format(Markup("<br>").join(escape(line) for line in p.splitlines()))
        for p in paragraphs
        if p.strip()
    )


def render_markdown(text: str | None) -> Markup:
    """Markdown to HTML, always sanitised on an allowlist: tutors' text is untrusted too.

    Raw HTML in the source is shown as the text it is (a ``<script>`` pasted
    into 给定材料 reads as ``<script>``, not as nothing): only Markdown makes
    markup. A text the renderer must not be given is shown as plain text.
    """
    text = text or ""
    if markdown_problem(text):
        return _plain(text)
    html = _converter().convert(text)
    return Markup(nh3.clean(html, tags=_ALLOWED_TAGS, attributes={}, link_rel=None))
