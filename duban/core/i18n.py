"""Languages: which one a request gets, and proof that every Chinese string has its English.

The msgids are the simplified Chinese the pages show by default; duban/locale/en holds the
English. polib is not a dependency, so this reads the small subset of the PO format that
xgettext/msgmerge write (msgctxt, msgid, msgid_plural, msgstr[n], flags, continuation lines).

`python -m duban.core.i18n [PO_FILE]` lists the entries that still need a translator
(empty, fuzzy, or with placeholders that differ from the msgid) and exits 1 when there are any;
`make messages` runs it after extracting.
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """The interface language is the one the person chose (set_language's cookie), else zh-hans.

    Django's LocaleMiddleware would also follow the browser's Accept-Language, so a county clerk
    whose Windows happens to be English would land on English pages they never asked for; here
    only an explicit choice switches away from simplified Chinese.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        try:
            language = (
                translation.get_supported_language_variant(chosen) if chosen else settings.LANGUAGE_CODE
            )
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"

# %(name)s, %s, %d, %.2f ... and {name} / {0} / {} (str.format); "%%" is a literal percent sign.
_PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[-#0 +]*\d*(?:\.\d+)?[sdifr]|\{[^{}]*\}")
_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def translations(self) -> list[str]:
        return [self.msgstr[k] for k in sorted(self.msgstr)]

    @property
    def translated(self) -> bool:
        return "fuzzy" not in self.flags and bool(self.msgstr) and all(self.translations)

    def placeholder_problems(self) -> list[str]:
        """Translations whose placeholders differ from the msgid's (a crash or a wrong figure at run time)."""
        problems = []
        for i, text in enumerate(self.translations):
            source = self.msgid_plural if (i and self.msgid_plural) else self.msgid
            if placeholders(text) != placeholders(source):
                problems.append(text)
        return problems


def placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text.replace("%%", "")))


def read_po(path: Path = CATALOGUE) -> list[Entry]:
    """Every entry but obsolete (#~) ones, in file order; the header entry included."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            current, target = None, None
            continue
        if line.startswith("#"):
            if current is None:
                current = Entry(line=number)
                entries.append(current)
            if line.startswith("#,"):
                current.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith('"'):
            if current is None or target is None:
                raise ValueError(f"{path}:{number}: a continuation line outside an entry")
            _append(current, target, ast.literal_eval(line))
            continue
        match = _KEYWORD.match(line)
        if match is None:
            raise ValueError(f"{path}:{number}: cannot read {line[:40]!r}")
        keyword, index, value = match.group(1), match.group(2), ast.literal_eval(match.group(3))
        if current is None or (keyword in ("msgctxt", "msgid") and (current.msgid or current.msgstr)):
            current = Entry(line=number)
            entries.append(current)
        target = (keyword.split("[")[0], int(index or 0))
        _append(current, target, value)
    return entries


def _append(entry: Entry, target: tuple[str, int], text: str) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] = entry.msgstr.get(index, "") + text
    elif name == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + text
    else:
        setattr(entry, name, getattr(entry, name) + text)


def needing_translation(entries: list[Entry]) -> list[Entry]:
    """Entries a translator still has to look at: empty, fuzzy, or with mismatched placeholders."""
    return [e for e in entries if not e.is_header and (not e.translated or e.placeholder_problems())]


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else CATALOGUE
    entries = [e for e in read_po(path) if not e.is_header]
    todo = needing_translation(entries)
    for entry in todo:
        state = "fuzzy" if "fuzzy" in entry.flags else "empty" if not entry.translated else "placeholders"
        print(f"{path}:{entry.line}: [{state}] {entry.msgid[:70]!r}")
    print(f"{len(entries)} strings, {len(entries) - len(todo)} translated, {len(todo)} to do")
    return 1 if todo else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
