#!/usr/bin/env python3
"""sippstat.py CSV COLUMN: print COLUMN of the last row of a SIPp -trace_stat
file (SIPp's cumulative statistics); 0 when the column is missing."""
import sys


def main():
    path, column = sys.argv[1], sys.argv[2]
    try:
        rows = [line.rstrip("\n").split(";") for line in open(path, encoding="latin-1") if line.strip()]
    except OSError:
        print("0")
        return
    if len(rows) < 2 or column not in rows[0]:
        print("0")
        return
    value = rows[-1][rows[0].index(column)]
    print(value or "0")


main()
