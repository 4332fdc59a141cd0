"""Attaches one scanned page (a 20 KB file) to every dossier of a demo database: the rows in
dossier_files and the files in the upload folder, for scripts/bench-backup.

    python3 scripts/lib/attach_demo_files.py DATABASE_URL UPLOAD_DIR   # prints how many
"""
import os
import sqlite3
import subprocess
import sys

SIZE = 20 * 1024
ATTACH = (
    "INSERT INTO dossier_files (stored_name, dossier_code, document_index, document_name, "
    "content_type, size_bytes, original_name, uploaded_at) "
    "SELECT 'demo-' || code || '.pdf', code, 0, 'Bản quét giấy tờ', 'application/pdf', "
    f"{SIZE}, 'ban-quet.pdf', received_at FROM dossiers"
)


def codes_after_attaching(url):
    if url.startswith("sqlite:"):
        db = sqlite3.connect(url.removeprefix("sqlite:").removeprefix("//"))
        db.execute(ATTACH)
        db.commit()
        return [row[0] for row in db.execute("SELECT code FROM dossiers")]
    subprocess.run(["psql", "-q", url, "-c", ATTACH], check=True)
    listed = subprocess.run(
        ["psql", "-At", url, "-c", "SELECT code FROM dossiers"],
        check=True,
        capture_output=True,
        text=True,
    )
    return listed.stdout.split()


def main():
    url, folder = sys.argv[1], sys.argv[2]
    codes = codes_after_attaching(url)
    os.makedirs(folder, exist_ok=True)
    # One body for all, a header of its own for each: every file differs, writing stays fast.
    body = os.urandom(SIZE - 64)
    for code in codes:
        head = f"%PDF-1.4 {code}\n".encode().ljust(64, b" ")
        with open(os.path.join(folder, f"demo-{code}.pdf"), "wb") as out:
            out.write(head + body)
    print(len(codes))


if __name__ == "__main__":
    main()
