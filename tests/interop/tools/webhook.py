"""A tiny HTTP server that records what is POSTed to it (the Kari's Law
webhook of e911-sipp.sh): each request becomes one JSON line in FILE with
method, path, content_type and body; every request is answered 204.

    webhook.py HOST PORT FILE      (FILE.ready is written once it listens)
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

host, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]


class Recorder(BaseHTTPRequestHandler):
    def record(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, 1 << 20)).decode(errors="replace")
        with open(path, "a") as f:
            f.write(json.dumps({"method": self.command, "path": self.path,
                                "content_type": self.headers.get("Content-Type"), "body": body}) + "\n")
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = record
    do_PUT = record

    def log_message(self, *args):
        pass


server = HTTPServer((host, port), Recorder)
open(path + ".ready", "w").write("listening\n")
server.serve_forever()
