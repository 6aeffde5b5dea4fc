"""The event contract: the record type, the catalogue of event kinds, the run result
and the one reader and writer of run folders. Imports no SimPy."""
