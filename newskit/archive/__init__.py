"""Web archives: WARC/ARC in (`newskit warc`), WARC out (`--warc`), and the Dask engine."""
