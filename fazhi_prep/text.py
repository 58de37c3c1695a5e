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
    """Markdown to HTML, always sanitised on an allowlist: tutors' text is untrusted too."""
    html = md.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    return Markup(nh3.clean(html, tags=_ALLOWED_TAGS, attributes={}, link_rel=None))
