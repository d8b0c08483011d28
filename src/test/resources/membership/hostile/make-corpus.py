#!/usr/bin/env python3
"""Writes the hostile corpus: Wolves exports that must each be rejected with a precise position.

Run once to create the files; the files are the test data and are committed. Each NAME.csv has a
NAME.expected beside it listing, one per line, every reject the import must report (as
Reject.describe() prints it). Add a file here for every bug found in the import.
"""
import pathlib

HEADER = "Member ID,Student Number,First Name,Last Name,Contact Email,Expiry,Membership Type\r\n"
GOOD = [
    "W300001,24300001,Aoife,Murphy,aoife.m@example.com,2027-08-31,Student\r\n",
    "W300002,24300002,Seán,Ó Briain,sean.ob@example.com,2027-08-31,Student\r\n",
]
here = pathlib.Path(__file__).parent


def write(name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    (here / f"{name}.csv").write_bytes(data)


def rows(*bad, before=1):
    """A header, `before` good rows, then the bad rows (str or bytes), then one more good row."""
    out = HEADER.encode() + "".join(GOOD[:before]).encode()
    for b in bad:
        out += b if isinstance(b, bytes) else b.encode("utf-8")
    out += "W300009,24300009,Zoë,Lynch,zoe.l@example.com,2027-08-31,Student\r\n".encode()
    return out


# --- encodings ---
write("latin1-fada", rows(b"W300003,24300003,Ciar\xe1n,Kelly,ck@example.com,2027-08-31,Student\r\n"))
write("utf8-truncated-sequence", rows(b"W300003,24300003,Ciar\xc3,Kelly,ck@example.com,2027-08-31,Student\r\n"))
write("utf8-overlong-slash", rows(b"W300003,24300003,Ciaran,Kelly\xc0\xaf,ck@example.com,2027-08-31,Student\r\n"))
write("utf8-surrogate", rows(b"W300003,24300003,Ciaran,Kelly,ck\xed\xa0\x80@example.com,2027-08-31,Student\r\n"))
write("utf16le-bom", ("\ufeff" + HEADER + GOOD[0]).encode("utf-16-le"))
write("windows1252-quotes", rows(b"W300003,24300003,\x93Ciaran\x94,Kelly,ck@example.com,2027-08-31,Student\r\n"))
write("binary-png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)))
write("nul-in-field", rows("W300003,24300003,Cia\x00ran,Kelly,ck@example.com,2027-08-31,Student\r\n"))
write("control-char-in-name", rows("W300003,24300003,Ciaran\x07,Kelly,ck@example.com,2027-08-31,Student\r\n"))

# --- quoting and structure ---
write("unclosed-quote", rows('W300003,24300003,"Ciaran,Kelly,ck@example.com,2027-08-31,Student\r\n'))
write("text-after-closing-quote", rows('W300003,24300003,"Ciaran"x,Kelly,ck@example.com,2027-08-31,Student\r\n'))
write("newline-inside-quoted-name", rows('W300003,24300003,"Ciar\r\nan",Kelly,ck@example.com,2027-08-31,Student\r\n',
                                          "W300004,24300004,Orla,Daly,od@example.com,2027-13-01,Student\r\n"))
write("truncated-last-row", HEADER + GOOD[0] + "W300003,24300003,Ciaran,Ke")
write("unquoted-comma-in-name", rows("W300003,24300003,Ciaran,Kelly, Jr,ck@example.com,2027-08-31,Student\r\n"))
write("huge-field", rows("W300003,24300003," + "A" * 10_000 + ",Kelly,ck@example.com,2027-08-31,Student\r\n"))
write("huge-record-open-quote",
      rows('W300003,24300003,"Ciaran,Kelly,ck@example.com,2027-08-31,Student\r\n'
           + "".join(f"W4{i:05d},244{i:05d},Name,Last,n{i}@example.com,2027-08-31,Student\r\n" for i in range(2000))))

# --- header ---
write("empty-file", b"")
write("header-only", HEADER)
write("only-blank-rows", HEADER + "\r\n,,,,,,\r\n\r\n")
write("missing-expiry-column", HEADER.replace(",Expiry", "") + "W300001,24300001,Aoife,Murphy,aoife.m@example.com,Student\r\n")
write("duplicate-email-column", HEADER.replace("Membership Type", "Contact Email")
      + "W300001,24300001,Aoife,Murphy,aoife.m@example.com,2027-08-31,other@example.com\r\n")
write("semicolon-separated", HEADER.replace(",", ";") + GOOD[0].replace(",", ";"))

# --- IDs ---
write("duplicate-member-id", rows("W300001,24300003,Ciaran,Kelly,ck@example.com,2027-08-31,Student\r\n"))
write("empty-member-id", rows(" ,24300003,Ciaran,Kelly,ck@example.com,2027-08-31,Student\r\n"))
write("member-id-with-space", rows("W 300003,24300003,Ciaran,Kelly,ck@example.com,2027-08-31,Student\r\n"))

# --- emails ---
write("email-without-at", rows("W300003,24300003,Ciaran,Kelly,ck.example.com,2027-08-31,Student\r\n"))
write("email-with-display-name", rows('W300003,24300003,Ciaran,Kelly,"Ciaran <ck@example.com>",2027-08-31,Student\r\n'))
write("email-two-addresses", rows('W300003,24300003,Ciaran,Kelly,"ck@example.com, x@example.com",2027-08-31,Student\r\n'))
write("email-empty", rows("W300003,24300003,Ciaran,Kelly,,2027-08-31,Student\r\n"))
write("email-too-long", rows("W300003,24300003,Ciaran,Kelly," + "c" * 250 + "@example.com,2027-08-31,Student\r\n"))
write("email-header-injection", rows('W300003,24300003,Ciaran,Kelly,"ck@example.com\r\nBcc: all@example.com",2027-08-31,Student\r\n'))

# --- dates ---
write("date-day-first-without-format", rows("W300003,24300003,Ciaran,Kelly,ck@example.com,31/08/2027,Student\r\n"))
write("date-february-30", rows("W300003,24300003,Ciaran,Kelly,ck@example.com,2027-02-30,Student\r\n"))
write("date-excel-serial", rows("W300003,24300003,Ciaran,Kelly,ck@example.com,46630,Student\r\n"))
write("date-year-1900", rows("W300003,24300003,Ciaran,Kelly,ck@example.com,1900-01-01,Student\r\n"))
write("date-with-time", rows("W300003,24300003,Ciaran,Kelly,ck@example.com,2027-08-31T00:00:00,Student\r\n"))
write("date-empty", rows("W300003,24300003,Ciaran,Kelly,ck@example.com,,Student\r\n"))

# --- student numbers ---
write("student-number-scientific", rows("W300003,2.4E+07,Ciaran,Kelly,ck@example.com,2027-08-31,Student\r\n"))
write("student-number-letters", rows("W300003,24A00003,Ciaran,Kelly,ck@example.com,2027-08-31,Student\r\n"))

# --- several problems at once: every one must be listed, none written ---
write("many-problems", rows("W300003,24300003,Ciaran,Kelly,not-an-email,2027-08-31,Student\r\n",
                            "W300004,x,Orla,Daly,od@example.com,31/08/2027,Student\r\n",
                            ",24300005,Eoin,Kelly,ek@example.com,2027-08-31,Student\r\n",
                            "W300001,24300006,Dup,Licate,dup@example.com,2027-08-31,Student\r\n"))
