"""Running newskit's engines on a Dask cluster (the optional extra `newskit[dask]`)."""
