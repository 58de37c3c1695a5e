"""Rendering user- and tutor-written text safely."""

from __future__ import annotations

import markdown as md
import nh3
from markupsafe import Markup

_ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "blockquote",
    "h2", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td", "hr", "code", "pre",
    "span", "sup", "sub",
}


def render_markdown(text: str) -> Markup:
    """Markdown to HTML, always sanitised on an allowlist: tutors' text is untrusted too.

    Raw HTML in the source is shown as the text it is (a ``<script>`` pasted
    into 给定材料 reads as ``<script>``, not as nothing): only Markdown makes
    markup. ``>`` stays, as Markdown's blockquote mark.
    """
    source = (text or "").replace("&", "&amp;").replace("<", "&lt;")
    html = md.markdown(source, extensions=["tables", "sane_lists"], output_format="html")
    return Markup(nh3.clean(html, tags=_ALLOWED_TAGS, attributes={}, link_rel=None))
