from django.core.management.base import BaseCommand
from tqdm import tqdm

from portal import demo


class Command(BaseCommand):
    help = "Build the demo site in bokmål with nynorsk translations. Safe to run again."

    def handle(self, *args, **options):
        with tqdm(total=demo.count_steps(), desc="seed_demo", unit="step", file=self.stderr) as bar:
            pages = demo.seed(bar)
        self.stdout.write(
            self.style.SUCCESS(f"Demo content ready: {len(pages)} pages in bokmål and in nynorsk.")
        )
