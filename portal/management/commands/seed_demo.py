from django.core.management.base import BaseCommand
from tqdm import tqdm
from wagtail.models import Page

from portal import demo


class Command(BaseCommand):
    help = (
        "Build the demo site in bokmål with nynorsk translations, at 127.0.0.1:$PORT (8000 unless "
        "set). Safe to run again."
    )

    def handle(self, *args, **options):
        with tqdm(total=demo.count_steps(), desc="seed_demo", unit="step", file=self.stderr) as bar:
            demo.seed(bar)
        counts = {
            code: Page.objects.filter(locale__language_code=code, depth__gt=1).count()
            for code in ("nb", "nn")
        }
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready: {counts['nb']} pages in bokmål, {counts['nn']} in nynorsk."
            )
        )
