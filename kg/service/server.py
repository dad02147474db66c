"""``kg serve``: its arguments and the uvicorn process (imported by the CLI without FastAPI)."""
from __future__ import annotations

import argparse
import os
import sys

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _size(text: str) -> int:
    """``5000000``, ``5MB``, ``512KB`` -> bytes."""
    units = {"KB": 1000, "MB": 1000**2, "GB": 1000**3, "KIB": 1024, "MIB": 1024**2}
    upper = text.strip().upper()
    for unit, factor in units.items():
        if upper.endswith(unit):
            return int(float(upper[: -len(unit)]) * factor)
    return int(upper)


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", default="kg-data", help="store folder (default: kg-data)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, loopback only)")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--max-body", type=_size, default="5MB", help="request body limit (default: 5MB)")
    parser.add_argument("--query-timeout", type=float, default=30.0,
                        help="seconds before a SPARQL query is stopped (default: 30)")
    parser.add_argument("--query-workers", type=int, default=2, help="SPARQL worker processes (default: 2)")
    parser.add_argument("--model", help="installed spaCy pipeline (default: kg's)")
    parser.add_argument("--base", help="base of entity IRIs")
    parser.add_argument("--sparql-endpoint", help="use an external SPARQL 1.1 store: its query endpoint URL")
    parser.add_argument("--sparql-update", help="... and its SPARQL Update endpoint URL (default: the query URL)")
    parser.add_argument("--log-level", default="info")


def serve(args: argparse.Namespace) -> int:
    """Runs the service until interrupted; KG_API_TOKEN (and KG_SPARQL_USER/PASSWORD) come from the environment."""
    import uvicorn

    from kg.service.app import Settings, create_app
    from kg.vocab import DEFAULT_BASE

    token = os.environ.get("KG_API_TOKEN") or None
    if args.host not in LOOPBACK and not token:
        print(f"warning: serving on {args.host} without KG_API_TOKEN: anyone who can reach this port can "
              "add and delete documents; set KG_API_TOKEN to require a bearer token for writes", file=sys.stderr)
    user, password = os.environ.get("KG_SPARQL_USER"), os.environ.get("KG_SPARQL_PASSWORD")
    settings = Settings(store=args.store, base=args.base or DEFAULT_BASE, token=token, max_body=args.max_body,
                        query_timeout=args.query_timeout, query_workers=args.query_workers, model=args.model,
                        sparql_endpoint=args.sparql_endpoint, sparql_update=args.sparql_update,
                        sparql_auth=(user, password or "") if user else None)
    print(f"kg serve: store {args.sparql_endpoint or args.store}, page http://{args.host}:{args.port}/, API docs /docs",
          file=sys.stderr, flush=True)
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level=args.log_level,
                access_log=False, timeout_graceful_shutdown=5)
    return 0
