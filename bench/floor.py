"""The floor of the load bench: a bare Flask app under the same waitress, answering /<n> with the bytes the portal
served for page n (bench/load.py saved them), so the difference is what the portal itself costs."""

import sys
from pathlib import Path

from flask import Flask, Response
from waitress import serve

folder, port, threads = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
bodies = {p.name: p.read_bytes() for p in folder.iterdir()}
app = Flask("floor")


@app.get("/healthz")
def healthz():
    return "ok"


@app.get("/<name>")
def page(name):
    return Response(bodies[name], mimetype="text/html")


serve(app, host="127.0.0.1", port=port, threads=threads, ident="floor", _quiet=True)
