#!/usr/bin/env python3
"""A real SMTP server on loopback for the notification tests (aiosmtpd, from PyPI).

It requires STARTTLS with a certificate for 127.0.0.1 signed by a CA it makes with openssl,
keeps every message it accepts as a file `NNNN.eml` in the folder it is given, and prints one
line when it is ready: `READY <port> <path of the CA certificate>`. It runs until stdin closes
(the test that started it ends) or it is killed.

Usage: smtp_sink.py FOLDER
"""
import asyncio
import os
import ssl
import subprocess
import sys
import threading

from aiosmtpd.controller import Controller


def make_certificates(folder):
    ca_key, ca_cert = os.path.join(folder, "ca.key"), os.path.join(folder, "ca.pem")
    key, csr, cert = (os.path.join(folder, name) for name in ("server.key", "server.csr", "server.pem"))
    ext = os.path.join(folder, "san.ext")
    run = lambda *args: subprocess.run(args, check=True, capture_output=True)
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", "/CN=motcua test mail CA", "-keyout", ca_key, "-out", ca_cert)
    run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
        "-keyout", key, "-out", csr)
    with open(ext, "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
                "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n")
    run("openssl", "x509", "-req", "-in", csr, "-CA", ca_cert, "-CAkey", ca_key,
        "-CAcreateserial", "-days", "2", "-extfile", ext, "-out", cert)
    return ca_cert, cert, key


class Keep:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            name = os.path.join(self.folder, f"{self.count:04d}.eml")
        tls = "tls" if session.ssl else "plain"
        with open(name + ".tmp", "wb") as f:
            f.write(f"X-Sink-Envelope-To: {','.join(envelope.rcpt_tos)}\r\nX-Sink-Transport: {tls}\r\n".encode())
            f.write(envelope.original_content)
        os.replace(name + ".tmp", name)
        return "250 OK kept"


def main():
    folder = sys.argv[1]
    os.makedirs(folder, exist_ok=True)
    ca_cert, cert, key = make_certificates(folder)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    # aiosmtpd checks it is up by connecting to its port, so the port is chosen first.
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Keep(folder), hostname="127.0.0.1", port=port,
                            tls_context=context, require_starttls=True)
    controller.start()
    print(f"READY {port} {ca_cert}", flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
