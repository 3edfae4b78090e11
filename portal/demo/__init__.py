"""Demo content for a real region (Vestland) as data: the TOML files here, read by `loader`."""

from .loader import count_steps, pages_of, records_loaded, records_of, seed

__all__ = ["count_steps", "pages_of", "records_loaded", "records_of", "seed"]
