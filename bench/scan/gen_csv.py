#!/usr/bin/env python3
"""Writes a customer export as CSV: ROWS rows under a header, every row holding a first and last
name (some the name lists do not know), an email, and bare phone, SSN, date of birth and ZIP
values that only the header says are personal data, plus a city, a status and free-text notes
(a fifth of them quoted, with a comma). Deterministic. Usage: gen_csv.py FILE ROWS"""
import random, sys
rnd = random.Random(11)
n = int(sys.argv[2])
first = ["James","Maria","Wei","Olga","Emily","Robert","Aisha","Lucas","Sofia","Noah","Quionia","Akifumi","Mehrudin"]
last = ["Smith","Garcia","Chen","Ivanova","Johnson","Mueller","Khan","Silva","Rossi","Brown","Vasquez","Tanaka","Elomo"]
cities = ["Springfield","Jackson","Madison","Portland","Austin","Denver"]
words = "the order was shipped to the warehouse and the customer was notified about delivery status".split()
with open(sys.argv[1], "w") as f:
    f.write("id,first_name,last_name,email,phone,ssn,birth_date,zip,city,status,notes\n")
    for i in range(1, n + 1):
        fn, ln = rnd.choice(first), rnd.choice(last)
        notes = " ".join(rnd.choice(words) for _ in range(rnd.randint(0, 12)))
        if i % 5 == 0: notes = '"' + notes + ', called back"'
        f.write(f"{i},{fn},{ln},{fn.lower()}.{ln.lower()}{i}@mailbox-acme.net,{rnd.randint(200,999)}{rnd.randint(200,999)}{rnd.randint(1000,9999)},"
                f"{rnd.randint(100,665)}{rnd.randint(10,99)}{rnd.randint(1000,9999)},{rnd.randint(1940,2005)}-{rnd.randint(1,12):02}-{rnd.randint(1,28):02},"
                f"{rnd.randint(10000,99999)},{rnd.choice(cities)},{rnd.choice(['active','closed','pending'])},{notes}\n")
