#!/usr/bin/env python3
"""Prints, as JSON, the messages an SMTP sink (smtp_sink.py) kept in FOLDER, oldest first, read
by Python's email package (an independent reader of MIME and RFC 2047): headers decoded, the
plain text and HTML parts. Used by the notification tests and the browser tests.

Usage: read_mail.py FOLDER
"""
import email
import email.policy
import glob
import json
import sys

out = []
for name in sorted(glob.glob(sys.argv[1] + "/*.eml")):
    with open(name, "rb") as f:
        message = email.message_from_binary_file(f, policy=email.policy.default)
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    out.append({
        "subject": str(message["Subject"]), "to": str(message["To"]), "from": str(message["From"]),
        "message_id": str(message["Message-ID"]), "transport": str(message["X-Sink-Transport"]),
        "content_type": message.get_content_type(),
        "text": text.get_content() if text else "", "html": html.get_content() if html else "",
    })
print(json.dumps(out))
