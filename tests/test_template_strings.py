"""Every human word in templates/ is marked for translation: a template with literal text fails here.

Each template is split by Django's own Lexer into text, variables, tags and comments. What {% translate %} and
{% blocktranslate %}...{% endblocktranslate %} hold is marked; variables and other tags stand for values. The
text left is read by an HTML parser: its text nodes, and the attributes people read (alt, title, aria-label,
placeholder, a button's value, a page's meta description), must hold no letters.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Files for machines, not people.
NOT_HUMAN = {"robots.txt"}
HUMAN_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder", "aria-description", "label"}
# A stand-in for a value: {{ city.name }}, {% url ... %}, a translated string.
VALUE = "\x00"
LETTER = re.compile(r"[^\W\d_]")


OPENS_SKIPPED = {"blocktranslate", "blocktrans", "comment"}
CLOSES_SKIPPED = {"endblocktranslate", "endblocktrans", "endcomment"}


def _block_tag(words: list[str], skipped: list[str], blocks: list[str]) -> str:
    """Follow one {% tag %}: what it opens or closes; VALUE for a {% translate %} outside a skipped part."""
    name = words[0]
    if name in OPENS_SKIPPED or (name == "block" and words[1:] == ["bodyclass"]):
        skipped.append(name)
    elif name == "block":
        blocks.append(name)
    elif name in CLOSES_SKIPPED or (name == "endblock" and not blocks):
        skipped.pop()
    elif name == "endblock":
        blocks.pop()
    elif name in ("translate", "trans") and not skipped:
        return VALUE
    return ""


def _unmarked_text(source: str) -> str:
    """The template with every variable and translated string replaced by VALUE; tags, comments and the
    bodyclass block (CSS class names) removed."""
    parts, skipped, blocks = [], [], []
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK and token.contents.split():
            parts.append(_block_tag(token.contents.split(), skipped, blocks))
        elif not skipped and token.token_type == TokenType.TEXT:
            parts.append(token.contents)
        elif not skipped and token.token_type == TokenType.VAR:
            parts.append(VALUE)
    return "".join(parts)


def _human(text: str) -> bool:
    """Whether `text` holds a word: letters, other than acronyms the same in every language (CSV, XLSX, ICLC)."""
    return any(LETTER.search(word) and not word.isupper() for word in re.findall(r"[^\W\d_]+", text))


class _HumanText(HTMLParser):
    """Collects the text nodes and the human attributes that hold letters."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            human = name in HUMAN_ATTRIBUTES
            human |= name == "value" and attributes.get("type") in ("submit", "button", "reset")
            human |= name == "content" and attributes.get("name") == "description"
            if human and value and _human(value.replace(VALUE, " ")):
                self.found.append(f"{tag} {name}={value!r}")

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        text = data.replace(VALUE, " ").strip()
        if _human(text):
            self.found.append(" ".join(text.split()))


def unmarked(source: str, *, html: bool = True) -> list[str]:
    """The human text of a template left outside translation tags, each piece as a short string."""
    text = _unmarked_text(source)
    if not html:
        return [" ".join(line.replace(VALUE, " ").split()) for line in text.splitlines() if _human(line)]
    parser = _HumanText()
    parser.feed(text)
    parser.close()
    return parser.found


def _templates() -> list[Path]:
    return sorted(path for path in TEMPLATES.rglob("*") if path.is_file() and path.name not in NOT_HUMAN)


@pytest.mark.parametrize("path", _templates(), ids=lambda path: str(path.relative_to(TEMPLATES)))
def test_the_template_marks_all_its_text_for_translation(path):
    assert unmarked(path.read_text(), html=path.suffix == ".html") == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<p>Members</p>", ["Members"]),
        ("<p>{% translate 'Members' %}</p>", []),
        ("<p>{% blocktranslate count n=n %}One city{% plural %}{{ n }} cities{% endblocktranslate %}</p>", []),
        ("<p>{{ city.name }}, {{ country.name }} · 2024 (3)</p>", []),
        ('<img src="x.svg" alt="UNESCO logo">', ["img alt='UNESCO logo'"]),
        ('<nav aria-label="{% translate "Main" %}" class="site-nav">', []),
        ('<input type="search" placeholder="City name">', ["input placeholder='City name'"]),
        ('<input type="submit" value="Filter">', ["input value='Filter'"]),
        ('<a href="/x/" class="button">{{ label }}</a> or <a href="/y/">home</a>', ["or", "home"]),
        ("{% comment %}Not shown{% endcomment %}{# nor this #}<p>&rsaquo; &middot;</p>", []),
        ("<svg><title>World map</title></svg>", ["World map"]),
        ('<li{% if selected %} class="selected"{% endif %}>CSV · XLSX</li>', []),
        ("{% block bodyclass %}app-{{ label }} import-page{% endblock %}{% block content %}Hi{% endblock %}", ["Hi"]),
    ],
)
def test_the_check_finds_literal_text_and_accepts_marked_text(source, expected):
    assert unmarked(source) == expected


def test_plain_text_templates_are_read_line_by_line():
    assert unmarked("{% load i18n %}{% translate 'Hello' %} {{ name }},\nPlease reply.\n", html=False) == [
        "Please reply."
    ]
