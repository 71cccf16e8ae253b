"""A register's sheet, declared once: columns, natural key, filters, permissions, writes.

A module declares::

    @register
    class UnitSheet(Sheet):
        key = "units"
        title = _("单位")
        model = Unit
        columns = [Column("单位名称", "name", required=True, max_length=64), ...]
        natural_key = "code"
        filterset_class = UnitFilter
        import_roles = export_roles = frozenset({Role.SYSTEM_ADMIN})

        def create(self, values, *, actor): return services.create_unit(actor=actor, **values)
        def update(self, obj, values, *, actor): return services.update_unit(obj, actor=actor, **values)

and gets the template, the exports and the import (see duban/sheets/importing.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from duban.accounts import policy

from .columns import Column

CHUNK = 2000  # keys per IN (...) query: far below SQLite's and PostgreSQL's parameter limits


def chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Lookup:
    """A cell naming an object of another register by one of its keys (e.g. a region's code or name).

    `queryset(actor)` is what the importing user may pick from; keys are tried in order, and a
    name shared by several objects is refused with their codes so the user can choose.
    """

    def __init__(
        self,
        queryset: Callable[[Any], QuerySet],
        *,
        keys: tuple[str, ...] = ("code", "name"),
        label: StrOrPromise = "",
        display: str = "name",
        code: str = "code",
    ):
        self.queryset = queryset
        self.keys = keys
        self.label = label
        self.display = display
        self.code = code

    def describe(self) -> str:
        names = {"code": _("代码"), "name": _("名称"), "username": _("用户名")}
        keys = _("或").join(str(names.get(k, k)) for k in self.keys)
        return _("填写%(label)s的%(keys)s") % {"label": self.label, "keys": keys}

    def export(self, obj: Any) -> str:
        return "" if obj is None else str(getattr(obj, self.display))

    def resolve(self, actor, texts: set[str]) -> dict[str, Any]:
        """text -> the object, or text -> an error message (str)."""
        found: dict[str, dict[str, list[Any]]] = {key: {} for key in self.keys}
        wanted = sorted(texts)
        for part in chunks(wanted):
            q = Q()
            for key in self.keys:
                q |= Q(**{f"{key}__in": part})
            for obj in self.queryset(actor).filter(q):
                for key in self.keys:
                    found[key].setdefault(str(getattr(obj, key)), []).append(obj)
        result: dict[str, Any] = {}
        for text in wanted:
            result[text] = self._pick(text, found)
        return result

    def _pick(self, text: str, found: dict[str, dict[str, list[Any]]]) -> Any:
        for key in self.keys:
            matches = found[key].get(text, [])
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                codes = "、".join(sorted(str(getattr(m, self.code)) for m in matches)[:5])
                return _("有多个%(label)s叫“%(text)s”，请改填代码（%(codes)s）") % {
                    "label": self.label,
                    "text": text,
                    "codes": codes,
                }
        return _("找不到%(label)s“%(text)s”，或不在您的管理范围内") % {"label": self.label, "text": text}


class Sheet:
    """Subclass, fill the class attributes, implement `create` and `update`."""

    key: ClassVar[str]
    title: ClassVar[StrOrPromise]
    model: ClassVar[type[models.Model]]
    columns: ClassVar[list[Column]]
    natural_key: ClassVar[str]  # the field that identifies a row (a unique field)
    filterset_class: ClassVar[Any] = None
    import_roles: ClassVar[frozenset[str]] = frozenset()
    export_roles: ClassVar[frozenset[str]] = frozenset()
    help: ClassVar[StrOrPromise] = ""
    list_url_name: ClassVar[str] = ""

    # --- permissions --------------------------------------------------------------------------

    def can_import(self, user) -> bool:
        return policy.has_role(user, *self.import_roles)

    def can_export(self, user) -> bool:
        return policy.has_role(user, *self.export_roles)

    def list_url(self) -> str:
        """The register's own list page, when the module has one."""
        from django.urls import NoReverseMatch, reverse

        try:
            return reverse(self.list_url_name) if self.list_url_name else ""
        except NoReverseMatch:
            return ""

    # --- export -------------------------------------------------------------------------------

    def export_queryset(self, user) -> QuerySet:
        """The rows `user` may export (the policy's EXPORT scope); add select_related here."""
        return policy.scope_queryset(self.model._default_manager.all(), user, policy.EXPORT)

    def filtered(self, user, data, request=None) -> tuple[QuerySet, dict[str, Any]]:
        """The export rows after the list page's own FilterSet, and the filters that applied."""
        qs = self.export_queryset(user)
        if self.filterset_class is None:
            return qs, {}
        filters = self.filterset_class(data or None, queryset=qs, request=request)
        applied = {k: v for k, v in (data or {}).items() if k in filters.filters and v not in ("", None)}
        return filters.qs, applied

    def export_value(self, column: Column, obj: Any) -> Any:
        if column.export is not None:
            return column.export(obj)
        value = getattr(obj, column.field)
        if column.lookup is not None:
            return column.lookup.export(value)
        if column.choices is not None:
            return str(column.choices(value).label) if value else ""
        return value

    # --- import -------------------------------------------------------------------------------

    def key_column(self) -> Column:
        return next(c for c in self.columns if c.field == self.natural_key)

    def existing(self, keys: list[Any]) -> dict[Any, models.Model]:
        """Stored rows by natural key, whoever may see them (the importer checks CHANGE)."""
        found: dict[Any, models.Model] = {}
        manager = self.model._default_manager
        for part in chunks(keys):
            for obj in manager.filter(**{f"{self.natural_key}__in": part}):
                found[getattr(obj, self.natural_key)] = obj
        return found

    def changeable(self, actor, objects: list[models.Model]) -> set[Any]:
        pks = [obj.pk for obj in objects]
        allowed: set[Any] = set()
        for part in chunks(pks):
            qs = policy.scope_queryset(self.model._default_manager.filter(pk__in=part), actor, policy.CHANGE)
            allowed.update(qs.values_list("pk", flat=True))
        return allowed

    def stored_value(self, obj: models.Model, column: Column) -> Any:
        """The stored value in the form a parsed cell has (objects compared by primary key)."""
        if column.lookup is not None:
            return getattr(obj, f"{column.field}_id", None)
        return getattr(obj, column.field)

    def create(self, values: dict[str, Any], *, actor) -> models.Model:
        raise NotImplementedError

    def update(self, obj: models.Model, values: dict[str, Any], *, actor) -> models.Model:
        raise NotImplementedError


SHEETS: dict[str, Sheet] = {}


def register(cls: type[Sheet]) -> type[Sheet]:
    SHEETS[cls.key] = cls()
    return cls


def get_sheet(key: str) -> Sheet | None:
    return SHEETS.get(key)
