"""Every user-facing string is translatable: simplified Chinese by default, English shipped.

The catalogue (duban/locale/en/LC_MESSAGES/django.po) must translate every msgid the code and
templates use, keep their placeholders, and be compiled into the committed django.mo; a person
can switch the interface to English through Django's set_language view and back.
"""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from duban.accounts.choices import Role
from duban.accounts.factories import make_user_with_role
from duban.core.i18n import CATALOGUE, Entry, needing_translation, placeholders, read_po
from duban.org.factories import make_unit

SOURCE = Path(settings.BASE_DIR) / "duban"
SKIPPED_DIRS = {"tests", "migrations", "locale", "vendor", "__pycache__"}
CJK = re.compile(r"[\u4e00-\u9fff]")
LANGUAGE_COOKIE = settings.LANGUAGE_COOKIE_NAME


def catalogue() -> list[Entry]:
    return [e for e in read_po(CATALOGUE) if not e.is_header]


# --- the catalogue ---------------------------------------------------------------------------


def test_every_msgid_has_an_english_translation_with_the_same_placeholders():
    """No empty or fuzzy msgstr, and %(name)s / {name} / %s kept exactly (make messages + translate)."""
    todo = needing_translation(catalogue())
    assert not todo, (
        "untranslated, fuzzy or placeholder-mismatched (run `make messages`, docs/i18n.md):\n"
        + "\n".join(f"  line {e.line}: {e.msgid[:60]!r} -> {e.translations!r}" for e in todo[:40])
    )


def test_the_compiled_catalogue_matches_the_po_file():
    """django.mo is committed; it must hold exactly what django.po says (compilemessages was run)."""
    mo = gettext.GNUTranslations(CATALOGUE.with_suffix(".mo").open("rb"))
    stale = []
    for entry in catalogue():
        if entry.msgctxt is not None:
            continue
        if entry.msgid_plural:
            got = [mo.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 2)]
        else:
            got = [mo.gettext(entry.msgid)]
        if got != entry.translations:
            stale.append(entry.msgid)
    assert not stale, f"django.mo is out of date for {len(stale)} strings, e.g. {stale[:5]}"


def test_the_english_catalogue_is_in_english():
    """A translation that still holds Chinese (a copy-paste of the msgid) is not a translation.

    Exceptions are quoted input vocabulary the user must type or see in a file (是/否, 休/班, 年月日,
    column headers that imports match by name), written next to their English meaning.
    """
    allowed = re.compile(
        r"[“\"](?:是|否|休|班|单位代码|用户名|事项编号|项目编号)[”\"]|休 or 班|2026年11月28日|是/否|、"
    )
    leftovers = [
        e.msgid for e in catalogue() if any(CJK.search(allowed.sub("", text)) for text in e.translations)
    ]
    assert not leftovers, f"English translations containing Chinese: {leftovers[:10]}"


def test_placeholders_are_found_in_all_three_styles():
    assert placeholders("第%(n)d行：%(v)s，共%s项，{name}，100%%") == ["%(n)d", "%(v)s", "%s", "{name}"]


def _python_msgids(path: Path) -> set[str]:
    """Constant first arguments of _()/gettext*/ngettext*/pgettext* calls in one module."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if name not in {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "gettext_noop"}:
            continue
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str) and first.value:
            found.add(first.value)
    return found


_TRANSLATE_TAG = re.compile(r"""\{%\s*(?:translate|trans)\s+(?:"([^"]*)"|'([^']*)')""")


def _template_msgids(path: Path) -> set[str]:
    return {a or b for a, b in _TRANSLATE_TAG.findall(path.read_text(encoding="utf-8")) if a or b}


def test_every_wrapped_string_in_the_code_is_in_the_catalogue():
    """A string wrapped after the last `make messages` would show in Chinese on an English page."""
    known = {e.msgid for e in catalogue()}
    missing = set()
    for path in SOURCE.rglob("*"):
        if SKIPPED_DIRS & set(path.relative_to(SOURCE).parts[:-1]):
            continue
        if path.suffix == ".py":
            new = _python_msgids(path) - known
        elif path.suffix == ".html" and "templates" in path.parts:
            new = _template_msgids(path) - known
        else:
            continue
        missing |= {f"{path.relative_to(SOURCE)}: {m}" for m in new}
    assert not missing, "run `make messages` and translate:\n" + "\n".join(sorted(missing)[:40])


# --- the language switch ---------------------------------------------------------------------


def _login_page(client) -> str:
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_the_login_page_is_chinese_by_default(client):
    page = _login_page(client)
    assert '<html lang="zh-CN">' in page
    assert "用户名" in page and "登录" in page
    assert 'name="language" value="en"' in page  # the switch offers English


@pytest.mark.django_db
def test_the_login_page_switches_to_english_through_set_language(client):
    login = reverse("accounts:login")
    response = client.post(reverse("set_language"), {"language": "en", "next": login})
    assert response.status_code == 302 and response["Location"] == login
    assert client.cookies[LANGUAGE_COOKIE].value == "en"
    page = _login_page(client)
    assert '<html lang="en">' in page
    assert "Log in" in page and "Username" in page and "Password" in page
    assert "用户名" not in page
    assert 'name="language" value="zh-hans"' in page and "简体中文" in page  # the way back


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese_until_the_person_chooses(client):
    """Accept-Language does not decide: zh-hans is the default, English is a choice (the cookie)."""
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-CN">' in page and "用户名" in page


@pytest.mark.django_db
def test_an_unknown_language_is_ignored(client):
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert LANGUAGE_COOKIE not in client.cookies
    assert "用户名" in _login_page(client)
    client.cookies[LANGUAGE_COOKIE] = "xx"  # a forged cookie falls back to the default
    assert "用户名" in _login_page(client)


def _liaison(client):
    unit = make_unit(name="测试发改局")
    user = make_user_with_role(Role.UNIT_LIAISON, unit=unit)
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_the_home_page_is_chinese_by_default(client):
    _liaison(client)
    page = client.get(reverse("core:home")).content.decode()
    assert "待办首页" in page and "通知" in page and "个人设置" in page and "单位联络员" in page


@pytest.mark.django_db
def test_the_home_page_in_english_shows_no_chinese_but_the_users_own_data(client):
    """Navigation, header, role labels and every home section are translated; only data stays."""
    user = _liaison(client)
    client.cookies[LANGUAGE_COOKIE] = "en"
    page = client.get(reverse("core:home")).content.decode()
    assert '<html lang="en">' in page
    for label in (
        "Home",
        "Notifications",
        "Profile",
        "Log out",
        "Unit liaison",
        f"Hello, {user.display_name}",
    ):
        assert label in page, label
    body = page.split("<body", 1)[1]
    for data in (user.display_name, user.unit.name, "简体中文"):
        body = body.replace(data, "")
    assert not CJK.findall(body), CJK.findall(body)[:20]


@pytest.mark.django_db
def test_switching_back_to_chinese_from_a_logged_in_page(client):
    _liaison(client)
    client.cookies[LANGUAGE_COOKIE] = "en"
    home = reverse("core:home")
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": home})
    assert response.status_code == 302 and response["Location"] == home
    assert "待办首页" in client.get(home).content.decode()
