#!/usr/bin/env python3
"""Writes golden expectations transcribed by hand from Kapacitor's integrations/streamer_test.go
expected alert.Data values, encoded the way Go's json.Encoder encodes alert.Data. Independent of
tickrun's own code, so the golden files are evidence of fidelity rather than snapshots.

usage: expect.py  (rewrites the kapacitor_*.alerts.jsonl files next to this directory)
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
S = 1_000_000_000


def t(sec):
    return "1971-01-01T00:00:%02dZ" % sec


def num(v):
    # Go encoding/json float formatting for the plain values used here.
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return repr(v)


def enc(s):
    out = json.dumps(s, ensure_ascii=False)
    return out.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def ev(id_, msg, details, sec, dur, level, prev, rec, name, tags, cols, vals):
    tag_s = ",".join("%s:%s" % (enc(k), enc(tags[k])) for k in sorted(tags))
    row = '{"name":%s,' % enc(name)
    if tags:
        row += '"tags":{%s},' % tag_s
    row += '"columns":[%s],' % ",".join(enc(c) for c in cols)
    row += '"values":[[%s]]}' % ",".join([enc(t(sec))] + [num(v) if not isinstance(v, str) else enc(v) for v in vals])
    return ('{"id":%s,"message":%s,"details":%s,"time":%s,"duration":%d,"level":%s,'
            '"data":{"series":[%s]},"previousLevel":%s,"recoverable":%s}\n') % (
        enc(id_), enc(msg), enc(details), enc(t(sec)), dur * S, enc(level), row, enc(prev),
        "true" if rec else "false")


def write(name, events):
    with open(os.path.join(HERE, "..", name + ".alerts.jsonl"), "w") as f:
        f.write("".join(events))


# TestStream_Alert_NoRecoveries: expected requests 1..6.
ID = "kapacitor/cpu/serverA"
H = {"host": "serverA"}
write("kapacitor_alert_norecoveries", [
    ev(ID, ID + " is WARNING", "", 0, 0, "WARNING", "OK", False, "cpu", H, ["time", "value"], [7.0]),
    ev(ID, ID + " is INFO", "", 2, 0, "INFO", "WARNING", False, "cpu", H, ["time", "value"], [6.0]),
    ev(ID, ID + " is WARNING", "", 3, 1, "WARNING", "INFO", False, "cpu", H, ["time", "value"], [7.0]),
    ev(ID, ID + " is WARNING", "", 4, 2, "WARNING", "WARNING", False, "cpu", H, ["time", "value"], [7.0]),
    ev(ID, ID + " is CRITICAL", "", 5, 3, "CRITICAL", "WARNING", False, "cpu", H, ["time", "value"], [8.0]),
    ev(ID, ID + " is INFO", "", 7, 0, "INFO", "CRITICAL", False, "cpu", H, ["time", "value"], [6.0]),
])

# TestStream_Alert_WithReset_0: expected requests 1..12.
HT = {"host": "serverA", "type": "usage"}
rows = [  # (sec, duration s, level, previous, value)
    (0, 0, "INFO", "OK", 45.0),
    (1, 1, "INFO", "INFO", 40.0),
    (2, 2, "INFO", "INFO", 30.0),
    (3, 3, "OK", "INFO", 9.0),
    (4, 0, "INFO", "OK", 45.0),
    (5, 1, "WARNING", "INFO", 61.0),
    (6, 2, "WARNING", "WARNING", 30.0),
    (7, 3, "OK", "WARNING", 19.0),
    (8, 0, "INFO", "OK", 45.0),
    (9, 1, "WARNING", "INFO", 61.0),
    (10, 2, "CRITICAL", "WARNING", 81.0),
    (11, 3, "OK", "CRITICAL", 29.0),
]
write("kapacitor_alert_with_reset_0", [
    ev(ID, "%s is %s" % (ID, lvl), "details", sec, dur, lvl, prev, True, "cpu", HT,
       ["time", "value"], [v]) for (sec, dur, lvl, prev, v) in rows
])

# TestStream_AlertDuration: expected requests 1..5.
HI = {"host": "serverA", "type": "idle"}
rows = [
    (0, 0, "CRITICAL", "OK", 9.0),
    (2, 2, "WARNING", "CRITICAL", 8.0),
    (4, 4, "OK", "WARNING", 6.0),
    (5, 0, "WARNING", "OK", 8.0),
    (8, 3, "OK", "WARNING", 3.0),
]
write("kapacitor_alert_duration", [
    ev(ID, "%s is %s" % (ID, lvl), "details", sec, dur, lvl, prev, True, "cpu", HI,
       ["time", "value"], [v]) for (sec, dur, lvl, prev, v) in rows
])
