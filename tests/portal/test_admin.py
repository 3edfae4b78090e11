import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.users.models import UserProfile

pytestmark = pytest.mark.django_db


def ensure_admin(monkeypatch, **env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    out = io.StringIO()
    call_command("ensure_admin", stdout=out)
    return out.getvalue()


def test_ensure_admin_creates_a_superuser_and_prints_its_password(client, monkeypatch):
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    out = ensure_admin(monkeypatch)
    password = re.search(r"password: (\S+)", out).group(1)
    assert get_user_model().objects.get(username="admin").is_superuser
    response = client.post("/admin/login/", {"username": "admin", "password": password})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_ensure_admin_again_keeps_the_password(monkeypatch):
    ensure_admin(monkeypatch, ADMIN_PASSWORD="first-password-1")
    monkeypatch.delenv("ADMIN_PASSWORD")
    out = ensure_admin(monkeypatch)
    assert "exists" in out
    assert get_user_model().objects.get(username="admin").check_password("first-password-1")


def test_admin_password_from_the_environment(client, monkeypatch):
    ensure_admin(monkeypatch, ADMIN_PASSWORD="s3cret-from-env")
    response = client.post("/admin/login/", {"username": "admin", "password": "s3cret-from-env"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_admin_login_rejects_a_wrong_password(client, monkeypatch):
    ensure_admin(monkeypatch, ADMIN_PASSWORD="right-password-1")
    response = client.post("/admin/login/", {"username": "admin", "password": "wrong"})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.parametrize(
    ("language", "menu_label", "other_standards_label"),
    [
        ("nb", "Bestillinger av veiledning", "Bestillingar av rettleiing"),
        ("nn", "Bestillingar av rettleiing", "Bestillinger av veiledning"),
    ],
)
def test_admin_speaks_the_editors_written_standard(
    admin_client, admin_user, language, menu_label, other_standards_label
):
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = language
    profile.save()
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert f'lang="{language}"' in response.text
    assert menu_label in response.text
    assert other_standards_label not in response.text


def test_nynorsk_page_opens_in_wagtail_localizes_translation_editor(admin_client, home, nn):
    twin = home.get_translation(nn)
    response = admin_client.get(f"/admin/pages/{twin.pk}/edit/")
    assert response.status_code == 200
    assert 'class="js-translation-editor"' in response.text


def add_standard_page(admin_client, home, title, slug):
    return admin_client.post(
        f"/admin/pages/add/portal/standardpage/{home.pk}/",
        {"title": title, "slug": slug, "body-count": "0", "action-publish": "1"},
    )


def test_an_editors_slug_is_spelt_in_ascii(admin_client, home):
    response = add_standard_page(
        admin_client, home, "Grunnopplæring på Vørs", "grunnopplæring-på-vørs"
    )
    assert response.status_code == 302
    assert home.get_children().filter(slug="grunnopplaering-pa-vors").exists()


def test_a_slug_that_clashes_once_spelt_in_ascii_is_a_form_error(admin_client, home):
    from portal.models import StandardPage

    home.add_child(instance=StandardPage(title="Digitale verktoy", slug="digitale-verktoy"))
    response = add_standard_page(admin_client, home, "Digitale verktøy", "digitale-verktøy")
    assert response.status_code == 200
    assert "digitale-verktoy" in str(response.context["form"].errors["slug"])
    assert home.get_children().filter(slug__startswith="digitale-verkt").count() == 1
