"""Two providers, each with an organiser group holding the demo's organiser permissions."""

from django.contrib.auth.models import Group, Permission

from katalog.courses.models import CourseIndexPage
from tests.factories import CoursePageFactory, CourseSessionFactory, ProviderFactory

ORGANISER_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("courses", "view_enrolment"),
    ("courses", "change_enrolment"),
    ("courses", "view_evaluation"),
]


def organiser_group(name):
    group = Group.objects.create(name=name)
    for app_label, codename in ORGANISER_PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return group


def provider_course(name, nb, price=500, sessions=1, capacity=20):
    """A provider with its organiser group, a course of it and its sessions (nb copies)."""
    group = organiser_group(f"Kursarrangør: {name}")
    provider = ProviderFactory(name=name, organisers=group)
    page = CoursePageFactory(
        parent=CourseIndexPage.objects.get(locale=nb),
        provider=provider,
        price=price,
        audiences=["leiarar"],
    )
    made = [CourseSessionFactory(page=page, capacity=capacity) for _ in range(sessions)]
    return group, page, made


def organiser(django_user_model, group, username):
    user = django_user_model.objects.create_user(username, f"{username}@example.no", "pw")
    user.groups.add(group)
    return user
