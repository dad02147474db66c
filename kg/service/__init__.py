"""The kg service: an HTTP API (FastAPI) over a graph store, with a SPARQL 1.1 endpoint.

``kg.service.app.create_app`` builds the ASGI app; ``kg.service.server`` is ``kg serve``.
Nothing here is imported by the rest of kg, so the CLI and library do not need FastAPI loaded.
"""
