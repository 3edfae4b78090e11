"""Every interface string is translated in both standards: makemessages, run on a copy of the
code, finds no msgid that locale/nb or locale/nn leaves missing, empty or fuzzy."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

LANGUAGES = ("nb", "nn")
# What makemessages reads: the project's apps (every installed app whose package is a folder
# of the project, so a new app is read too) and the templates; not .venv, node_modules, tests.
SOURCES = sorted(
    {app.split(".")[0] for app in settings.INSTALLED_APPS}
    & {path.name for path in Path(settings.BASE_DIR).iterdir() if path.is_dir()}
) + ["templates"]

pytestmark = pytest.mark.skipif(
    not shutil.which("xgettext") or not shutil.which("msgmerge"),
    reason="makemessages needs GNU gettext (xgettext, msgmerge)",
)


def describe(entry):
    where = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:2])
    return f"{entry.msgid!r} ({where})"


@pytest.fixture(scope="module")
def catalogues(tmp_path_factory):
    """The .po files makemessages writes into a copy of the project: its own, merged with ours."""
    root = Path(settings.BASE_DIR)
    copy = tmp_path_factory.mktemp("messages")
    for name in SOURCES:
        shutil.copytree(root / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(root / "locale", copy / "locale")
    shutil.copy(root / "manage.py", copy / "manage.py")
    command = [sys.executable, "manage.py", "makemessages", "--no-obsolete"]
    command += [f"--locale={language}" for language in LANGUAGES]
    subprocess.run(command, cwd=copy, check=True, capture_output=True, text=True, timeout=600)
    return {
        language: polib.pofile(str(copy / "locale" / language / "LC_MESSAGES" / "django.po"))
        for language in LANGUAGES
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_msgid_in_code_and_templates_is_translated(catalogues, language):
    catalogue = catalogues[language]
    assert catalogue.find("Only sessions with free seats")  # makemessages read the code
    missing = [describe(e) for e in catalogue.untranslated_entries() if not e.obsolete]
    fuzzy = [describe(e) for e in catalogue.fuzzy_entries()]
    assert not missing, f"{len(missing)} untranslated in {language}:\n" + "\n".join(missing)
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {language}:\n" + "\n".join(fuzzy)
