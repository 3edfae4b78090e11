import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Create the admin user (ADMIN_USERNAME, default 'admin') and print its password; "
        "ADMIN_PASSWORD sets the password, also for an existing user; it must pass the "
        "password validators (at least 12 characters)."
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
        # 16 characters from a 64-letter alphabet: 96 random bits, well past the 12 required.
        password = password or secrets.token_urlsafe(12)
        try:
            validate_password(
                password, user or User(username=username, email=f"{username}@localhost")
            )
        except ValidationError as error:
            raise CommandError(f"ADMIN_PASSWORD: {' '.join(error.messages)}") from None
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
