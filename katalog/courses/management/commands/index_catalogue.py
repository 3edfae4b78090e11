from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from katalog.courses.search import elastic


class Command(BaseCommand):
    help = "Rebuild the catalogue's Elasticsearch index (ELASTICSEARCH_URL) from the database."

    def handle(self, *args, **options):
        if not settings.ELASTICSEARCH_URL:
            raise CommandError("ELASTICSEARCH_URL is not set; the catalogue uses the database.")
        total = elastic.indexed_sessions().count()
        with tqdm(total=total, desc="index_catalogue", unit="session", file=self.stderr) as bar:
            count = elastic.rebuild(bar)
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} sessions in {elastic.INDEX}."))
