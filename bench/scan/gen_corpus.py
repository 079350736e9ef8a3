#!/usr/bin/env python3
"""Writes a mixed-text corpus (logs, CSV, JSON lines, prose) of about SIZE_MB megabytes into DIR,
with personal data planted at a known rate (one value in every 20 lines, the kinds in turn, in
every file type). Writes DIR/planted.tsv: detector and count. Deterministic."""
import collections, json, os, random, sys

out_dir, size_mb = sys.argv[1], int(sys.argv[2])
rnd = random.Random(7)
first = ["James", "Maria", "Wei", "Olga", "Emily", "Robert", "Aisha", "Lucas", "Sofia", "Noah"]
last = ["Smith", "Garcia", "Chen", "Ivanova", "Johnson", "Mueller", "Khan", "Silva", "Rossi", "Brown"]
words = ("the order was shipped to the warehouse and the customer was notified about delivery status "
         "invoice payment processed cache refreshed request completed session started report generated").split()

def luhn(d):
    s = 0
    for i, c in enumerate(reversed(d)):
        n = int(c)
        if i % 2 == 0:
            n = n * 2 - 9 if n * 2 > 9 else n * 2
        s += n
    return d + str((10 - s % 10) % 10)

KINDS = ["email", "phone", "us_ssn", "credit_card", "ipv4", "iban", "person_name"]

def planted(k, i):
    if k == "email": return f"{rnd.choice(first).lower()}.{rnd.choice(last).lower()}{i}@mailbox-acme.net"
    if k == "phone": return f"+1-415-{rnd.randint(200, 999)}-{rnd.randint(1000, 9999)}"
    if k == "us_ssn": return f"{rnd.randint(100, 665)}-{rnd.randint(10, 99)}-{rnd.randint(1000, 9999)}"
    if k == "credit_card": return luhn("4" + "".join(rnd.choice("0123456789") for _ in range(14)))
    if k == "ipv4":  # a public address: not 127, this host's
        a = rnd.randint(23, 200)
        return f"{126 if a == 127 else a}.{rnd.randint(0, 255)}.{rnd.randint(0, 255)}.{rnd.randint(1, 254)}"
    if k == "iban": return "DE89370400440532013000"
    return f"{rnd.choice(first)} {rnd.choice(last)}"

os.makedirs(out_dir, exist_ok=True)
target = size_mb * 1024 * 1024
kinds = ["log", "csv", "jsonl", "txt"]
written, n, planted_count = 0, 0, 0
counts = collections.Counter()
files = {k: open(os.path.join(out_dir, f"part.{k}"), "w") for k in kinds}
while written < target:
    n += 1
    kind = kinds[n % 4]
    pii = None
    if n % 20 == 0:  # 20 is a multiple of 4: spread the plants over the file types by their own turn
        kind = kinds[planted_count % 4]
        detector = KINDS[planted_count % len(KINDS)]
        pii = planted(detector, n)
        counts[detector] += 1
        planted_count += 1
    filler = " ".join(rnd.choice(words) for _ in range(8))
    if kind == "log":
        line = f"2026-11-{n % 28 + 1:02d}T10:{n % 60:02d}:{(n * 7) % 60:02d}Z INFO req={n:08x} took={n % 900}ms {filler} {pii or 'status=ok'}\n"
    elif kind == "csv":
        line = f"{n},{n * 31 % 100000},{filler.replace(' ', ';')},{pii or 'n/a'},{n % 7}\n"
    elif kind == "jsonl":
        line = json.dumps({"id": n, "event": rnd.choice(words), "detail": filler, "value": pii or "none"}) + "\n"
    else:
        line = f"{filler.capitalize()}. {' '.join(rnd.choice(words) for _ in range(10))} {pii or ''}.\n"
    files[kind].write(line)
    written += len(line)
for f in files.values():
    f.close()
with open(os.path.join(out_dir, "planted.tsv"), "w") as f:
    for detector in KINDS:
        f.write(f"{detector}\t{counts[detector]}\n")
print(f"{written} bytes, {n} lines, {planted_count} planted values")
