#!/usr/bin/env python3
"""Writes the small binary inputs of the Archive tests into this folder (deterministic).

Run from anywhere: python3 Tests/IdentityTests/Inputs/make-archives.py
"""
import gzip, io, os, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
STAMP = (2024, 3, 5, 11, 0, 18)


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def gz(data):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, compresslevel=9) as f:
        f.write(data)
    return buf.getvalue()


def zipped(entries, compression=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data, method in entries:
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = method if method is not None else compression
            z.writestr(info, data)
    return buf.getvalue()


hello = b"Hello, Bulwark.\n" * 4
write("hello.txt.gz", gz(hello))
write("two-members.gz", gz(b"first member\n") + gz(b"second member\n"))
write("zeros-2MiB.gz", gz(bytes(2 << 20)))

users = b'{"data":[{"ObjectIdentifier":"S-1-5-21-1-2-3-1105","Properties":{"name":"ALICE@CORP.LOCAL","domain":"CORP.LOCAL"}}],"meta":{"type":"users","count":1,"version":6}}'
write("small.zip", zipped([
    ("collection/", b"", zipfile.ZIP_STORED),
    ("collection/20240305110018_users.json", users, zipfile.ZIP_DEFLATED),
    ("collection/readme.txt", hello, zipfile.ZIP_STORED),
]))
write("bomb-ratio.zip", zipped([("20240305110018_users.json", bytes(20 << 20), zipfile.ZIP_DEFLATED)]))
write("five-entries.zip", zipped([(f"{i}_users.json", users, zipfile.ZIP_DEFLATED) for i in range(5)]))
write("traversal.zip", zipped([("../20240305110018_users.json", users, zipfile.ZIP_DEFLATED)]))
write("absolute.zip", zipped([("/tmp/20240305110018_users.json", users, zipfile.ZIP_DEFLATED)]))
write("backslash.zip", zipped([("ad\\20240305110018_users.json", users, zipfile.ZIP_DEFLATED)]))
# zipfile cuts names at NUL, so write a placeholder and patch it in both headers.
nul = zipped([("bad#name_users.json", users, zipfile.ZIP_DEFLATED)]).replace(b"bad#name", b"bad\x00name")
write("nul-name.zip", nul)
