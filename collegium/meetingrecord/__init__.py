"""Meeting minutes: the record of a sitting drafted from what the engine holds (``gather``),
as a typed record (``records``) with its ballots' figures (``tally``), rendered as
Markdown or HTML (``render``). The public names are exported from :mod:`collegium`."""
