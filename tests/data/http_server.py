#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A scripted HTTP server on 127.0.0.1 for casewatch's fetch tests.

Usage: http_server.py SCRIPT.json LOG.jsonl
Prints the port it listens on (a free one) as its first line, then serves until killed.

SCRIPT maps a request path (without the query) to a list of responses, used in order; the
last one repeats. The script is read again on every request, so a test may change it
between runs. A response is an object:
  status   (default 200)
  headers  {name: value}
  body     text; "{base}" is replaced by http://127.0.0.1:PORT
  file     a file whose bytes are the body (instead of body)
  truncate send only this many bytes of the body, with the full Content-Length, then close
  hang     seconds to wait before answering
Each request is appended to LOG as one JSON line: method, path, headers, body.
"""
import http.server
import json
import socketserver
import sys
import threading
import time

SCRIPT, LOG = sys.argv[1], sys.argv[2]
counts = {}
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body_in = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        path = self.path.split("?", 1)[0]
        with lock:
            with open(LOG, "a") as log:
                log.write(json.dumps({"method": self.command, "path": self.path,
                                      "headers": dict(self.headers.items()),
                                      "body": body_in}) + "\n")
            with open(SCRIPT) as f:
                script = json.load(f)
            responses = script.get(path) or [{"status": 404, "body": "no such path: " + path}]
            n = counts.get(path, 0)
            counts[path] = n + 1
            r = responses[min(n, len(responses) - 1)]
        if r.get("hang"):
            time.sleep(r["hang"])
        if "file" in r:
            with open(r["file"], "rb") as f:
                body = f.read()
        else:
            base = "http://127.0.0.1:%d" % self.server.server_address[1]
            body = r.get("body", "").replace("{base}", base).encode()
        self.send_response(r.get("status", 200))
        for k, v in r.get("headers", {}).items():
            self.send_header(k, v.replace("{base}", "http://127.0.0.1:%d" % self.server.server_address[1]))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if "truncate" in r:
            self.wfile.write(body[: r["truncate"]])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)

    do_GET = handle_any
    do_POST = handle_any


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


server = Server(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
