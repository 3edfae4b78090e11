from django.core.management.base import BaseCommand

from portal import retention


class Command(BaseCommand):
    help = "Anonymise personal data past its retention period (each app's rules, portal.retention)."

    def handle(self, *args, **options):
        def report(rule, count, warned):
            line = f"{rule.model}: {count} {rule.action} ({rule.description})"
            if warned:
                line += f"; {warned} to expire soon, their owners warned"
            self.stdout.write(line)

        results = retention.purge(progress=report)
        total = sum(count for _rule, count, _warned in results)
        self.stdout.write(self.style.SUCCESS(f"Done: {total} records anonymised or deleted."))
