"""Characters no data file or answer may hold: controls, and invisible ones that hide or
reorder text (zero-width spaces, bidirectional overrides, byte order marks mid-text).

They cannot be seen in an editor or a pull request's diff, yet they change what a reader
sees, break search and links, or stop the YAML parser. Every check of text uses this module,
so the catalog, the taxonomy and `kindred new` refuse exactly the same characters.
"""

from __future__ import annotations

import unicodedata

# Left where text was lost: by a program that could not read it, or for a byte that is not
# UTF-8. Whatever it stood for is gone, so it is refused like the rest.
REPLACEMENT = "\ufffd"
# Controls, invisible formatting (Cf: zero-width, bidi, soft hyphen…), unpaired surrogates,
# and the invisible line and paragraph separators. Tab and line feed are ordinary layout.
_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_LAYOUT = frozenset("\t\n")
# Control characters have no Unicode name; these are the ones people meet.
_CONTROL_NAMES = {
    0x00: "NULL",
    0x07: "BELL",
    0x08: "BACKSPACE",
    0x0B: "LINE TABULATION",
    0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
    0x85: "NEXT LINE",
}


def is_forbidden(char: str) -> bool:
    """Whether one character may not appear in data: see the module's docstring."""
    if char in _LAYOUT:
        return False
    if char == REPLACEMENT:
        return True
    code = ord(char)
    # Noncharacters (U+FDD0 to U+FDEF and the last two of every plane) are never text.
    if 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE:
        return True
    return unicodedata.category(char) in _FORBIDDEN_CATEGORIES


def first_forbidden(text: str) -> int | None:
    """The index of the first forbidden character in ``text``, or None."""
    # The usual case, decided in C: no control or invisible character.
    if text.isprintable() and REPLACEMENT not in text:
        return None
    for index, char in enumerate(text):
        if is_forbidden(char):
            return index
    return None


def char_name(char: str) -> str:
    """'U+202E RIGHT-TO-LEFT OVERRIDE': the code point, and its name where it has one."""
    code = ord(char)
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(code, "")
    return f"U+{code:04X} {name}".rstrip()


def describe_char(char: str) -> str:
    """What the character is, for a message: 'invisible character U+200B ZERO WIDTH SPACE'."""
    category = unicodedata.category(char)
    if category == "Cc":
        kind = "control character"
    elif category == "Cs":
        kind = "unpaired surrogate"
    elif category in ("Cf", "Zl", "Zp"):
        kind = "invisible character"
    elif char == REPLACEMENT:
        return f"{char_name(char)} (it marks text that was lost)"
    else:
        kind = "noncharacter"
    return f"{kind} {char_name(char)}"
