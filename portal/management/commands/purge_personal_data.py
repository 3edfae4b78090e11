from django.core.management.base import BaseCommand

from portal import retention


class Command(BaseCommand):
    help = "Anonymise personal data past its retention period (each app's rules, portal.retention)."

    def handle(self, *args, **options):
        def report(rule, count):
            self.stdout.write(f"{rule.model}: {count} anonymised ({rule.description})")

        results = retention.purge(progress=report)
        total = sum(count for _rule, count in results)
        self.stdout.write(self.style.SUCCESS(f"Done: {total} records anonymised."))
