"""Demo places: Vestland's municipalities (official numbers since 2024) grouped in regions."""

from .models import Municipality, Region

REGIONS = {
    "Bergensregionen": [
        ("4601", "Bergen"),
        ("4623", "Samnanger"),
        ("4624", "Bjørnafjorden"),
        ("4626", "Øygarden"),
        ("4627", "Askøy"),
        ("4628", "Vaksdal"),
        ("4630", "Osterøy"),
    ],
    "Nordhordland": [
        ("4629", "Modalen"),
        ("4631", "Alver"),
        ("4632", "Austrheim"),
        ("4633", "Fedje"),
        ("4634", "Masfjorden"),
        ("4635", "Gulen"),
    ],
    "Sunnhordland": [
        ("4611", "Etne"),
        ("4612", "Sveio"),
        ("4613", "Bømlo"),
        ("4614", "Stord"),
        ("4615", "Fitjar"),
        ("4616", "Tysnes"),
        ("4617", "Kvinnherad"),
        ("4625", "Austevoll"),
    ],
    "Hardanger og Voss": [
        ("4618", "Ullensvang"),
        ("4619", "Eidfjord"),
        ("4620", "Ulvik"),
        ("4621", "Voss"),
        ("4622", "Kvam"),
    ],
    "Sogn": [
        ("4638", "Høyanger"),
        ("4639", "Vik"),
        ("4640", "Sogndal"),
        ("4641", "Aurland"),
        ("4642", "Lærdal"),
        ("4643", "Årdal"),
        ("4644", "Luster"),
    ],
    "Sunnfjord og Ytre Sogn": [
        ("4636", "Solund"),
        ("4637", "Hyllestad"),
        ("4645", "Askvoll"),
        ("4646", "Fjaler"),
        ("4647", "Sunnfjord"),
    ],
    "Nordfjord": [
        ("4602", "Kinn"),
        ("4648", "Bremanger"),
        ("4649", "Stad"),
        ("4650", "Gloppen"),
        ("4651", "Stryn"),
    ],
}


def seed_places():
    """Create the regions and municipalities that are missing; returns municipalities by number."""
    for region_name, municipalities in REGIONS.items():
        region, _created = Region.objects.get_or_create(
            name_nb=region_name, defaults={"name_nn": region_name}
        )
        for number, name in municipalities:
            Municipality.objects.get_or_create(
                number=number, defaults={"name_nb": name, "name_nn": name, "region": region}
            )
    return {m.number: m for m in Municipality.objects.all()}
