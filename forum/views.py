"""The public views of Kompetanseforum's pages: the forum, a training plan, a measure."""
