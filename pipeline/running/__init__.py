"""Running renders: the warm host, the worker, the local pool and Dask, and a request's
render."""
