#!/usr/bin/env python3
"""Migrate a fresh SQLite database (DJANGO_DB) and create the admin superuser, in one process."""
import os
import sys

ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "admin-password-123"
ADMIN_EMAIL = "admin@example.test"


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "testsite.settings")
    if not os.environ.get("DJANGO_DB"):
        sys.exit("prepare_db.py: DJANGO_DB must name the SQLite file to create")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser(ADMIN_USERNAME, ADMIN_EMAIL, ADMIN_PASSWORD)


if __name__ == "__main__":
    main()
