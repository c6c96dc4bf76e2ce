"""{% translated record "field" %}: a translated field in the reader's language, the English fallback marked.

A field registered for translation reads the active language's column, else the English one (modeltranslation).
When the English text stands in, it is wrapped in an element with lang="en", so that screen readers, hyphenation
and spelling read it as English on a French, Spanish or Arabic page (WCAG 3.1.2, language of parts).
"""

from django import template
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import conditional_escape, format_html

from core.translation import FALLBACK_LANGUAGE, content_language

register = template.Library()


def is_fallback(record, field: str) -> bool:
    """Whether `record.field` shows the English text because the active language's column is empty."""
    language = content_language()
    if language == FALLBACK_LANGUAGE:
        return False
    return not getattr(record, f"{field}_{language}", None) and bool(getattr(record, field, ""))


@register.simple_tag
def translated(record, field: str, linebreaks: bool = False):
    """`record.field` escaped (as paragraphs with `linebreaks=True`), in <span lang="en"> (<div> for paragraphs)
    when it is the English fallback; "" for an empty field in every language."""
    text = getattr(record, field, "") or ""
    html = linebreaks_filter(text, autoescape=True) if linebreaks else conditional_escape(text)
    if not is_fallback(record, field):
        return html
    element = "div" if linebreaks else "span"
    return format_html('<{} lang="{}">{}</{}>', element, FALLBACK_LANGUAGE, html, element)
