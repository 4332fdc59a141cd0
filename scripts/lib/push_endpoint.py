#!/usr/bin/env python3
"""A browser's push service on loopback for the web push tests, checked by an implementation
independent of ours: it makes a browser's P-256 key pair and authentication secret (the
subscription), and for each message posted to it checks the VAPID token (RFC 8292: an ES256
JWT signed by the key it names, for this origin, not expired) with `cryptography`, and
decrypts the body (RFC 8291, aes128gcm) with `http_ece` (both from PyPI). `GET /received`
answers what arrived, as JSON.

Prints one line when ready: `READY <port> <subscription as JSON>`; runs until stdin closes.
Usage: push_endpoint.py [STATUS]   (STATUS: the HTTP status to answer pushes with, default 201)
"""
import base64
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64d(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64e(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


BROWSER_KEY = ec.generate_private_key(ec.SECP256R1())
BROWSER_PUBLIC = BROWSER_KEY.public_key().public_bytes(
    serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
AUTH = os.urandom(16)
ANSWER = int(sys.argv[1]) if len(sys.argv) > 1 else 201
RECEIVED = []
LOCK = threading.Lock()


def check_vapid(header, origin):
    if not header.startswith("vapid "):
        raise ValueError(f"not a vapid authorization: {header!r}")
    fields = dict(part.strip().split("=", 1) for part in header[len("vapid "):].split(","))
    token, key = fields["t"], fields["k"]
    head, claims, signature = token.split(".")
    if json.loads(b64d(head)) != {"typ": "JWT", "alg": "ES256"}:
        raise ValueError("header")
    claims_json = json.loads(b64d(claims))
    if claims_json["aud"] != origin:
        raise ValueError(f"aud {claims_json['aud']} is not {origin}")
    if not time.time() < claims_json["exp"] <= time.time() + 24 * 3600:
        raise ValueError("exp")
    if not claims_json["sub"].startswith(("mailto:", "https://", "http://")):
        raise ValueError("sub")
    raw = b64d(signature)
    r, s = int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64d(key))
    public.verify(encode_dss_signature(r, s), f"{head}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
    return claims_json


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        entry = {name: self.headers.get(name) for name in ("TTL", "Content-Encoding", "Topic", "Urgency")}
        try:
            entry["vapid"] = check_vapid(self.headers.get("Authorization", ""), f"http://{self.headers['Host']}")
            entry["payload"] = json.loads(http_ece.decrypt(
                body, private_key=BROWSER_KEY, auth_secret=AUTH, version="aes128gcm").decode())
            status = ANSWER
        except Exception as error:  # the test reads what went wrong
            entry["error"] = f"{type(error).__name__}: {error}"
            status = 400
        with LOCK:
            RECEIVED.append(entry)
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        with LOCK:
            data = json.dumps(RECEIVED).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    subscription = {"endpoint": f"http://127.0.0.1:{port}/push/1",
                    "keys": {"p256dh": b64e(BROWSER_PUBLIC), "auth": b64e(AUTH)}}
    print(f"READY {port} {json.dumps(subscription)}", flush=True)
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
