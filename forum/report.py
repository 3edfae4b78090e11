"""The results report's views: the page and the CSV of each of its tables."""
