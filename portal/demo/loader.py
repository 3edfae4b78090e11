"""Build the demo site from the TOML files beside this module, in bokmål translated into nynorsk.

Every file has the same shape:

- `[[records]]`: a `model` label, the field (or list of fields) that identifies a row (`match`),
  `defaults` and `rows`, made in the order of the files unless a block names objects that a
  later block makes (then that one first); `after_pages = true` for records that name pages,
  `after_translations = true` for records that name nynorsk pages too. A row with
  `repeat = N` stands for N rows, `{n}` in its texts counting 1 to N. Once a block has made rows,
  `records_loaded` is sent (sender the model, `records` the new rows), so an app can derive
  what follows from them.
- `[[pages]]`: a `key` (optional), the `parent` page's key, a `model` label, `fields` the same in
  both written standards, `nb` (bokmål, slug from the title unless given) and `nn` (the nynorsk
  translation of `nb`, published through wagtail-localize's translation memory; StreamFields
  list the translated block values in the source's order, inline rows (e.g. a measure's
  `indicators`) a table of translated texts per row, in the source's order).
- `[defaults."app.Model"]`: fields every page of that model shares.
- `[site]` (site.toml): the default site's name and hostname, and its settings.

A value is read by the model field it goes into: `"@key"` names a demo page (`"@nn:key"` its
nynorsk translation, in records after the translations); a related object is
named by its record's `match` value or by a table of field values (every object that matches);
dates are written relative to the day this runs, `"today+30"` or `"today+30 09:00"`; a row with
`every_year = true` is repeated for this year and the next, its dates written `"12-24"` or
`"easter-3"` (days from Easter Sunday); elsewhere `"12-24"` is a day of this year. `{year}` in
any text is this year ("Plan for opplæringstiltak {year}"), so that a yearly page's title and slug
follow the dates it covers.

The models are found through the app registry from their labels, so `portal` imports no app.
Every step looks before it writes, so running it again changes nothing that is already there.
"""

import datetime
import os
import re
import tomllib
from pathlib import Path

from dateutil.easter import easter
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone
from taggit.managers import TaggableManager
from wagtail.fields import StreamField
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import LocaleSynchronization
from wagtail_localize.synctree import synchronize_tree

from portal.text import slugify_nb
from portal.translation import publish_translation

DATA = Path(__file__).parent
records_loaded = Signal()
DATE = re.compile(r"(?P<base>today|easter|\d\d-\d\d)(?P<days>[+-]\d+)?(?: (?P<time>\d\d:\d\d))?")


def read():
    """All data files merged, site.toml first (it holds the tree's top), then by name."""
    merged = {"records": [], "pages": [], "defaults": {}, "site": {}}
    files = sorted(DATA.glob("*.toml"), key=lambda path: (path.name != "site.toml", path.name))
    year = str(timezone.localdate().year)
    for path in files:
        with path.open("rb") as file:
            data = _this_year(tomllib.load(file), year)
        merged["records"] += data.get("records", [])
        merged["pages"] += data.get("pages", [])
        merged["defaults"].update(data.get("defaults", {}))
        merged["site"].update(data.get("site", {}))
    for spec in merged["pages"]:
        spec["fields"] = {**merged["defaults"].get(spec["model"], {}), **spec.get("fields", {})}
        for language in ("nb", "nn"):
            spec[language].setdefault("slug", slugify_nb(spec[language]["title"]))
        spec.setdefault("key", f"{spec.get('parent')}/{spec['nb']['slug']}")
    return merged


def pages_of(label):
    """The data of every demo page of a model, e.g. "courses.CoursePage"."""
    return [spec for spec in read()["pages"] if spec["model"] == label]


def records_of(label):
    """The rows (defaults applied) of a model's demo records, e.g. "places.Municipality"."""
    return [
        {**block.get("defaults", {}), **row}
        for block in read()["records"]
        if block["model"] == label
        for row in block["rows"]
    ]


def count_steps():
    # A step a records block, one a page to make, one a page to translate, the links, the settings.
    data = read()
    return len(data["records"]) + 2 * len(data["pages"]) + 2


def seed(progress):
    Demo(read(), progress).seed()


class MissingPage(KeyError):
    """A page named by "@key" that is not made yet: the field is filled in once every page is."""


class Demo:
    def __init__(self, data, progress):
        self.data = data
        self.progress = progress
        self.today = timezone.localdate()
        self.matches = {block["model"]: block["match"] for block in data["records"]}
        self.pages = {}
        self.children = {}
        for spec in data["pages"]:
            self.children.setdefault(spec.get("parent"), []).append(spec)

    @transaction.atomic
    def seed(self):
        nb, _created = Locale.objects.get_or_create(language_code="nb")
        nn, _created = Locale.objects.get_or_create(language_code="nn")
        site = self.site(nb)
        # Records that name pages ("after_pages") wait until every page is made, those that name
        # nynorsk pages ("after_translations") until every page is translated.
        records = self.data["records"]
        for block in _in_dependency_order([b for b in records if _stage(b) == "first"]):
            self.ensure_records(block)
            self.progress.update()

        (root,) = self.children[None]
        deferred = {}
        self.pages[root["key"]] = self.home(site, nb, root, deferred)
        self.progress.update()
        for spec in self.walk(root, below=True):
            parent = self.pages[spec["parent"]]
            self.pages[spec["key"]] = self.ensure_page(parent, spec, deferred)
            self.progress.update()
        self.fill_in(deferred)
        self.progress.update()
        for block in _in_dependency_order([b for b in records if _stage(b) == "after_pages"]):
            self.ensure_records(block)
            self.progress.update()

        # New nb pages get nn aliases (wagtail-localize's synchronised trees) until translated;
        # only now, with every nb page made, or a translation published in this transaction
        # before its children exist would be saved again at commit with no children counted.
        LocaleSynchronization.objects.get_or_create(locale=nn, defaults={"sync_from": nb})
        synchronize_tree(nb, nn)
        for spec in self.walk(root):
            page = Page.objects.get(pk=self.pages[spec["key"]].pk).specific
            twin = page.get_translation_or_none(nn)
            if twin is None or twin.alias_of_id:
                publish_translation(page, nn, self.translation(page, spec["nn"]))
            self.progress.update()
        for block in _in_dependency_order(
            [b for b in records if _stage(b) == "after_translations"]
        ):
            self.ensure_records(block)
            self.progress.update()

        self.site_settings(site)
        self.progress.update()

    def walk(self, spec, below=False):
        if not below:
            yield spec
        for child in self.children.get(spec["key"], []):
            yield from self.walk(child)

    # The site

    def site(self, locale):
        """The default site at the address `make run` serves, made anew when a database has none."""
        hostname, port = self.data["site"]["hostname"], int(os.environ.get("PORT", "8000"))
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            root = Page.get_first_root_node() or Page.add_root(
                instance=Page(title="Root", locale=locale)
            )
            return Site.objects.create(
                hostname=hostname, port=port, root_page=root, is_default_site=True
            )
        if (site.hostname, site.port) != (hostname, port):
            site.hostname, site.port = hostname, port
            site.save()
        return site

    def home(self, site, locale, spec, deferred):
        model = apps.get_model(spec["model"])
        if isinstance(site.root_page.specific, model):
            return site.root_page.specific
        home = model.objects.filter(locale=locale, depth=2).first()
        if home is None:
            home = self.build(spec, deferred)
            home.locale = locale
            Page.get_first_root_node().add_child(instance=home)
            home.save_revision().publish()
        placeholder = site.root_page
        site.root_page = home
        site.site_name = self.data["site"]["site_name"]
        site.save()
        # Wagtail's "Welcome" placeholder has no place in the portal.
        if placeholder.depth == 2 and type(placeholder.specific) is Page:
            if not placeholder.get_children().exists():
                placeholder.delete()
        return home

    def site_settings(self, site):
        values = dict(self.data["site"]["settings"])
        model = apps.get_model(self.data["site"]["settings_model"])
        settings = model.for_site(site)
        empty = {
            name: self.value(model, name, raw)
            for name, raw in values.items()
            if not getattr(settings, name)
        }
        if empty:
            for name, value in empty.items():
                setattr(settings, name, value)
            settings.save()

    # Records and pages

    def ensure_records(self, block):
        model = apps.get_model(block["model"])
        match = block["match"] if isinstance(block["match"], list) else [block["match"]]
        created = []
        for row in _repeated(block["rows"]):
            row = {**block.get("defaults", {}), **row}
            key = {name: self.value(model, name, row[name]) for name in match}
            if model.objects.filter(**key).exists():
                continue
            values = self.values(model, row)
            many = {
                name: values.pop(name)
                for name in list(values)
                if model._meta.get_field(name).many_to_many
            }
            record = model.objects.create(**values)
            for name, objects in many.items():
                getattr(record, name).set(objects)
            created.append(record)
        if created:
            records_loaded.send(sender=model, records=created)

    def ensure_page(self, parent, spec, deferred):
        page = parent.get_children().filter(slug=spec["nb"]["slug"]).first()
        if page:
            return page.specific
        page = self.build(spec, deferred)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page

    def build(self, spec, deferred):
        model = apps.get_model(spec["model"])
        page = model()
        for name, raw in {**spec["fields"], **spec["nb"]}.items():
            try:
                value = self.value(model, name, raw)
            except MissingPage:
                deferred.setdefault(spec["key"], {})[name] = raw
                continue
            if isinstance(model._meta.get_field(name), TaggableManager):
                getattr(page, name).add(*value)
            else:
                setattr(page, name, value)
        return page

    def fill_in(self, deferred):
        """The fields that name pages made after their own, where they are still empty."""
        for key, fields in deferred.items():
            page = Page.objects.get(pk=self.pages[key].pk).specific
            empty = {name: raw for name, raw in fields.items() if not getattr(page, name)}
            if empty:
                for name, raw in empty.items():
                    setattr(page, name, self.value(type(page), name, raw))
                page.save_revision().publish()

    def translation(self, page, values):
        """The nn values, StreamField blocks in the shape of the source's (ids, links kept),
        inline rows as copies of the source's rows (translation keys kept) with the texts given."""
        translated = dict(values)
        for name, value in values.items():
            source = getattr(page, name)
            if hasattr(source, "raw_data"):
                translated[name] = [
                    _aligned(block["value"], item)
                    for block, item in zip(source.raw_data, value, strict=True)
                ]
            elif page._meta.get_field(name).one_to_many:
                translated[name] = [
                    _translated_row(row, texts)
                    for row, texts in zip(source.all(), value, strict=True)
                ]
        return translated

    # Values

    def values(self, model, row, year=None):
        return {name: self.value(model, name, raw, year) for name, raw in row.items()}

    def value(self, model, name, raw, year=None):
        field = model._meta.get_field(name)
        if isinstance(field, StreamField):
            return [(kind, self.page_refs(value)) for kind, value in raw]
        if field.one_to_many:
            children = [
                field.related_model(**self.values(field.related_model, row, year))
                for row, year in self.rows(raw)
            ]
            # Ordered children (Orderable) are numbered as the admin numbers them, from 0, so
            # that a record can name one by its place in the list.
            order = getattr(field.related_model, "sort_order_field", None)
            for position, child in enumerate(children if order else []):
                setattr(child, order, position)
            return children
        if isinstance(field, TaggableManager):
            return raw  # tag names
        if field.many_to_many:
            return [obj for item in raw for obj in self.related(field.related_model, item)]
        if field.many_to_one or field.one_to_one:
            (obj,) = self.related(field.related_model, raw)
            return obj
        if isinstance(raw, str) and isinstance(field, models.DateField | models.TimeField):
            return self.when(field, raw, year or self.today.year)
        return raw

    def rows(self, rows):
        """Rows with the year their dates are in: the yearly ones this year's, then next year's."""
        yearly = [row for row in rows if row.get("every_year")]
        yield from ((row, None) for row in rows if not row.get("every_year"))
        for year in (self.today.year, self.today.year + 1):
            for row in yearly:
                yield {name: value for name, value in row.items() if name != "every_year"}, year

    def related(self, model, raw):
        if isinstance(raw, str) and raw.startswith("@"):
            return [self.page(raw)]
        if isinstance(raw, dict):
            lookup = {
                name: value if "__" in name else self.value(model, name, value)
                for name, value in raw.items()
            }
            return list(model.objects.filter(**lookup))
        return [model.objects.get(**{self.matches[model._meta.label]: raw})]

    def page(self, reference):
        language, _colon, key = reference[1:].rpartition(":")
        try:
            page = self.pages[key]
        except KeyError:
            raise MissingPage(reference) from None
        if not language:
            return page
        twin = page.get_translation_or_none(Locale.objects.get(language_code=language))
        if twin is None:
            raise MissingPage(reference)
        return twin

    def page_refs(self, value):
        if isinstance(value, dict):
            return {name: self.page_refs(item) for name, item in value.items()}
        if isinstance(value, list):
            return [self.page_refs(item) for item in value]
        if isinstance(value, str) and value.startswith("@"):
            return self.page(value)
        return value

    def when(self, field, raw, year):
        if isinstance(field, models.TimeField):
            return datetime.time.fromisoformat(raw)
        match = DATE.fullmatch(raw)
        if match is None:
            raise ValueError(f"{field}: {raw!r} is no demo date")
        base = match["base"]
        if base == "today":
            day = self.today
        elif base == "easter":
            day = easter(year)
        else:
            day = datetime.date(year or self.today.year, *map(int, base.split("-")))
        day += datetime.timedelta(days=int(match["days"] or 0))
        if not isinstance(field, models.DateTimeField):
            return day
        time = datetime.time.fromisoformat(match["time"] or "00:00")
        return timezone.make_aware(datetime.datetime.combine(day, time))


def _aligned(source, translated):
    """translated in the shape of source's raw block value: list items keep their ids, structs
    their untranslated members, so that both yield the same translatable segments."""
    if isinstance(source, dict) and source.keys() == {"type", "value", "id"}:
        return {**source, "value": _aligned(source["value"], translated)}
    if isinstance(source, dict) and isinstance(translated, dict):
        return {**source, **{name: _aligned(source.get(name), v) for name, v in translated.items()}}
    if isinstance(source, list) and isinstance(translated, list):
        return [_aligned(item, t) for item, t in zip(source, translated, strict=True)]
    return translated


def _this_year(value, year):
    if isinstance(value, dict):
        return {name: _this_year(item, year) for name, item in value.items()}
    if isinstance(value, list):
        return [_this_year(item, year) for item in value]
    if isinstance(value, str):
        return value.replace("{year}", year)
    return value


def _translated_row(row, texts):
    """A copy of an inline row (same translation key and place) with its translated texts."""
    copy = type(row)(**{f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields})
    for name, text in texts.items():
        setattr(copy, name, text)
    return copy


def _in_dependency_order(blocks):
    """The blocks in file order, except that a block comes after the blocks that make the
    objects its rows name (places before the needs of forum.toml, though "f" < "p")."""
    makers = {}
    for position, block in enumerate(blocks):
        makers.setdefault(block["model"], []).append(position)
    ordered, done = [], set()

    def visit(position, path):
        if position in done:
            return
        if position in path:
            raise ValueError(f"demo records name each other: {blocks[position]['model']}")
        for label in _named_models(blocks[position]):
            for maker in makers.get(label, []):
                if maker != position:
                    visit(maker, path | {position})
        done.add(position)
        ordered.append(blocks[position])

    for position in range(len(blocks)):
        visit(position, frozenset())
    return ordered


def _named_models(block):
    """The labels of the models a block's rows name through their relations."""
    model = apps.get_model(block["model"])
    names = set(block.get("defaults", {})).union(*(row.keys() for row in block["rows"]))
    labels = set()
    for name in names:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue  # "repeat"
        if field.is_relation and field.related_model is not None:
            labels.add(field.related_model._meta.label)
    return labels


def _stage(block):
    if block.get("after_translations"):
        return "after_translations"
    return "after_pages" if block.get("after_pages") else "first"


def _repeated(rows):
    """The rows, each with `repeat = N` written out N times, `{n}` in its texts from 1 to N."""
    for row in rows:
        if "repeat" not in row:
            yield row
            continue
        fields = {name: value for name, value in row.items() if name != "repeat"}
        for n in range(1, row["repeat"] + 1):
            yield {
                name: value.replace("{n}", str(n)) if isinstance(value, str) else value
                for name, value in fields.items()
            }
