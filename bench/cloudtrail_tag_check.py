#!/usr/bin/env python3
"""The cloudtrail-audit tag check in plain Python 3 (standard library only), for the benchmark's comparison.

As the original Lambda does, each CloudTrail log file is read whole (gzip + json), then its records are walked.
It applies the same rule as vigil's ec2-missing-required-tags: tags known per instance across files, RunInstances
(instance tags from tagSpecificationSet), CreateTags / DeleteTags on instance ids, a grace period in event time,
DeleteTags removing a required tag from a known instance reported at once, failed calls ignored but counted.

    python3 bench/cloudtrail_tag_check.py [--require KEY[=V1,V2]]... [--grace-minutes 10] PATH...
Prints one line per finding with --verbose, and always a summary line.
"""
import argparse
import datetime
import gzip
import heapq
import json
import os
import sys
import time

EC2 = "ec2.amazonaws.com"
NAMES = {"RunInstances", "CreateTags", "DeleteTags", "TerminateInstances"}


def files_of(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, names in os.walk(p):
                dirs.sort()
                for n in sorted(names):
                    if n.endswith(".json") or n.endswith(".json.gz"):
                        yield os.path.join(root, n)
        else:
            yield p


def records_of(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    doc = json.loads(data)
    if isinstance(doc, dict):
        return doc.get("Records", [doc])
    return doc if isinstance(doc, list) else []


def items(node, field):
    v = node.get(field) if isinstance(node, dict) else None
    if isinstance(v, dict):
        v = v.get("items")
    return v if isinstance(v, list) else []


def tag_refs(node, field):
    return [(t.get("key"), t.get("value")) for t in items(node, field) if isinstance(t, dict) and t.get("key") is not None]


class Checker:
    def __init__(self, required, grace, verbose):
        self.required = required          # key -> allowed values (set) or None
        self.grace = grace
        self.verbose = verbose
        self.pending = {}                  # instance -> (due, tags, launched_by)
        self.heap = []
        self.known = {}                    # instance -> (tags, complete, problems)
        self.findings = 0
        self.failed = 0
        self.records = 0
        self.last = None                   # the latest event time: the end of input, as vigil replay takes it

    def problems(self, tags, complete, absent=()):
        out = set()
        for k, allowed in self.required.items():
            if k in tags:
                if allowed is not None and tags[k] not in allowed:
                    out.add("wrong:%s=%s" % (k, tags[k]))
            elif complete or k in absent:
                out.add("missing:" + k)
        return out

    def report(self, when, instance, probs, who):
        self.findings += 1
        if self.verbose:
            print("%s ec2-missing-required-tags %s %s launched by %s" % (when, instance, sorted(probs), who))

    def fire(self, upto):
        while self.heap and (upto is None or self.heap[0][0] <= upto):
            due, instance = heapq.heappop(self.heap)
            p = self.pending.get(instance)
            if p is None or p[0] != due:
                continue
            del self.pending[instance]
            probs = self.problems(p[1], True)
            if probs:
                self.report(due, instance, probs, p[2])
            self.known[instance] = (p[1], True, set(), probs)

    def record(self, r):
        self.records += 1
        t = r.get("eventTime")
        if isinstance(t, str):
            if self.last is None or t > self.last:
                self.last = t
                self.fire(t)
        name = r.get("eventName")
        if name not in NAMES or r.get("eventSource") != EC2:
            return
        if r.get("errorCode"):
            self.failed += 1
            return
        req = r.get("requestParameters") or {}
        if name == "RunInstances":
            tags = {}
            for spec in items(req, "tagSpecificationSet"):
                if spec.get("resourceType") == "instance":
                    tags.update({k: v or "" for k, v in tag_refs(spec, "tags")})
            who = (r.get("userIdentity") or {}).get("arn")
            for it in items(r.get("responseElements") or {}, "instancesSet"):
                i = it.get("instanceId")
                if not i:
                    continue
                itags = dict(tags)
                itags.update({k: v or "" for k, v in tag_refs(it, "tagSet")})
                if self.problems(itags, True):
                    due = (datetime.datetime.fromisoformat(t.replace("Z", "+00:00")) + self.grace).strftime("%Y-%m-%dT%H:%M:%SZ")
                    self.pending[i] = (due, itags, who)
                    heapq.heappush(self.heap, (due, i))
                else:
                    self.pending.pop(i, None)
                    self.known[i] = (itags, True, set(), set())
        elif name == "TerminateInstances":
            for it in items(req, "instancesSet"):
                self.pending.pop(it.get("instanceId"), None)
                self.known.pop(it.get("instanceId"), None)
        else:
            ids = [x.get("resourceId") for x in items(req, "resourcesSet") if str(x.get("resourceId", "")).startswith("i-")]
            refs = tag_refs(req, "tagSet")
            for i in ids:
                if i in self.pending:
                    due, tags, who = self.pending[i]
                    tags = self.apply(dict(tags), set(), name, refs)[0]
                    if self.problems(tags, True):
                        self.pending[i] = (due, tags, who)
                    else:
                        del self.pending[i]
                        self.known[i] = (tags, True, set(), set())
                    continue
                tags, complete, absent, before = self.known.get(i, ({}, False, set(), set()))
                tags, absent, complete = self.apply(dict(tags), set(absent), name, refs, complete)
                probs = self.problems(tags, complete, absent)
                if not probs <= before:
                    self.report(t, i, probs, (r.get("userIdentity") or {}).get("arn"))
                self.known[i] = (tags, complete, absent, probs)

    @staticmethod
    def apply(tags, absent, name, refs, complete=True):
        if name == "CreateTags":
            for k, v in refs:
                tags[k] = v or ""
                absent.discard(k)
        elif not refs:
            return {}, set(), True
        else:
            for k, v in refs:
                if v is None or tags.get(k) == v:
                    tags.pop(k, None)
                    absent.add(k)
        return tags, absent, complete


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--require", action="append", default=[])
    ap.add_argument("--grace-minutes", type=float, default=10)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("paths", nargs="+")
    a = ap.parse_args()
    required = {}
    for spec in a.require or ["Owner"]:
        k, _, vals = spec.partition("=")
        required[k] = set(vals.split(",")) if vals else None
    c = Checker(required, datetime.timedelta(minutes=a.grace_minutes), a.verbose)
    t0 = time.perf_counter()
    nfiles = 0
    for f in files_of(a.paths):
        nfiles += 1
        for r in records_of(f):
            if isinstance(r, dict):
                c.record(r)
    if c.last is not None:
        c.fire(c.last)                     # grace periods still running at the end of input are not findings
    s = time.perf_counter() - t0
    print("python: files=%d records=%d findings=%d failed-calls-ignored=%d seconds=%.2f records/s=%.0f"
          % (nfiles, c.records, c.findings, c.failed, s, c.records / s if s else 0), file=sys.stderr)


if __name__ == "__main__":
    main()
