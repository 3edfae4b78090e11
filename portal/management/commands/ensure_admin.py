import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create the admin user (ADMIN_USERNAME, default 'admin') and print its password; "
        "ADMIN_PASSWORD sets the password, also for an existing user."
    )

    def handle(self, *args, **options):
        username = os.environ.get("ADMIN_USERNAME", "admin")
        password = os.environ.get("ADMIN_PASSWORD", "")
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user and not password:
            self.stdout.write(
                f"Admin user '{username}' exists; its password is unchanged "
                "(set ADMIN_PASSWORD to change it)."
            )
            return
        password = password or secrets.token_urlsafe(12)
        if user:
            user.set_password(password)
            user.save(update_fields=["password"])
        else:
            User.objects.create_superuser(username, f"{username}@localhost", password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin: http://127.0.0.1:{os.environ.get('PORT', '8000')}/admin/  "
                f"user: {username}  password: {password}"
            )
        )
