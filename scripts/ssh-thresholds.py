#!/usr/bin/env python3
"""Which sources a failure stream flags under fail2ban's and CrowdSec's thresholds (docs/scenario-ssh.md).

  fail2ban-regex -o row LOG /etc/fail2ban/filter.d/sshd.conf | scripts/ssh-thresholds.py

Reads fail2ban-regex's failure rows (['IP', epoch, {...}]) and prints the sources that reach fail2ban's default
jail (maxretry 5 within findtime 10m), vigil's ssh-brute-force default (5 in 60 s), and CrowdSec's hub scenarios
as leaky buckets (ssh-bf: capacity 5, leak 10s; ssh-slow-bf: capacity 10, leak 60s; overflow on the event that
finds the bucket full). CrowdSec's own parser is not run here: these are its thresholds over fail2ban's failures.
"""
import collections
import re
import sys

by = collections.defaultdict(list)
for line in sys.stdin:
    m = re.match(r"^\['([^']+)',\s*([0-9.]+),", line)
    if m:
        by[m.group(1)].append(float(m.group(2)))


def window(n, secs):
    out = set()
    for ip, ts in by.items():
        ts.sort()
        j = 0
        for i in range(len(ts)):
            while ts[i] - ts[j] > secs:
                j += 1
            if i - j + 1 >= n:
                out.add(ip)
                break
    return out


def bucket(cap, leak):
    out = set()
    for ip, ts in by.items():
        ts.sort()
        level, last = 0.0, None
        for t in ts:
            if last is not None:
                level = max(0.0, level - (t - last) / leak)
            last = t
            level += 1
            if level > cap:
                out.add(ip)
                break
    return out


print(f"{sum(len(v) for v in by.values())} failures from {len(by)} sources")
for name, s in [("fail2ban jail (maxretry 5, findtime 10m)", window(5, 600)), ("5 in 60s (vigil ssh-brute-force default)", window(5, 60)),
                ("CrowdSec ssh-bf (capacity 5, leak 10s)", bucket(5, 10)), ("CrowdSec ssh-slow-bf (capacity 10, leak 60s)", bucket(10, 60))]:
    print(f"{name}: {len(s)}: {' '.join(sorted(s))}")
