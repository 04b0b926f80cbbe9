#!/usr/bin/python3
"""The seed's one-shot anomaly guard (shared/seed: "EchoPilot Phase 102"), written the way the seed
describes it, as the reference `npm run bench` times `anomaly-guard check` against.

GET /health with requests and measure the latency; psutil for CPU (cpu_percent over a 0.1 s sample),
memory and disk; a z-score over the last 50 ok latencies read from the NDJSON log; append the check
record; append an anomaly_trigger record (and run the heal command, if one is given) when a threshold
is breached. Prints the records it appended, one JSON object per line.

Usage: /usr/bin/python3 bench/seed_oneshot.py URL LOG_FILE [HEAL_COMMAND...]
Needs the Debian packages python3-requests and python3-psutil.
"""
import json
import statistics
import subprocess
import sys
import time
from collections import deque
from datetime import datetime, timezone

import psutil
import requests

WINDOW = 50
SIGMA = 3.0
CPU_CRITICAL = 90.0
MEM_CRITICAL = 90.0
DISK_WARNING = 90.0
TIMEOUT_S = 10


def now_iso():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def check_health(url):
    start = time.perf_counter()
    try:
        resp = requests.get(url, timeout=TIMEOUT_S)
        latency_ms = (time.perf_counter() - start) * 1000
        ok = resp.status_code == 200 and resp.json().get("status") == "Healthy"
    except Exception:
        latency_ms = (time.perf_counter() - start) * 1000
        ok = False
    return {"latency_ms": round(latency_ms, 1), "ok": ok}


def check_resources():
    return {
        "cpu": psutil.cpu_percent(interval=0.1),
        "mem": psutil.virtual_memory().percent,
        "disk": psutil.disk_usage("/").percent,
    }


def recent_latencies(log_file):
    window = deque(maxlen=WINDOW)
    try:
        with open(log_file) as f:
            for line in f:
                try:
                    rec = json.loads(line)
                except ValueError:
                    continue
                lat = rec.get("lat")
                if isinstance(lat, dict) and lat.get("ok"):
                    window.append(lat["latency_ms"])
    except FileNotFoundError:
        pass
    return list(window)


def score_of(latency_ms, history):
    if len(history) < 2:
        return None, None, None
    mean = statistics.mean(history)
    stdev = statistics.stdev(history)
    if stdev == 0:
        return None, round(mean, 1), 0.0
    return round((latency_ms - mean) / stdev, 2), round(mean, 1), round(stdev, 1)


def reasons_of(lat, res, score):
    reasons = []
    if not lat["ok"]:
        reasons.append("health_unhealthy")
    if score is not None and score > SIGMA:
        reasons.append(f"latency_anomaly_3sigma (score={score})")
    if res["cpu"] > CPU_CRITICAL:
        reasons.append(f"cpu_critical ({res['cpu']}%)")
    if res["mem"] > MEM_CRITICAL:
        reasons.append(f"mem_critical ({res['mem']}%)")
    if res["disk"] > DISK_WARNING:
        reasons.append(f"disk_warning ({res['disk']}%)")
    return reasons


def append(log_file, record):
    with open(log_file, "a") as f:
        f.write(json.dumps(record) + "\n")
    print(json.dumps(record))


def main():
    url, log_file, heal = sys.argv[1], sys.argv[2], sys.argv[3:]
    lat = check_health(url)
    res = check_resources()
    history = recent_latencies(log_file)
    score, mean, stdev = score_of(lat["latency_ms"], history) if lat["ok"] else (None, None, None)
    append(log_file, {"ts": now_iso(), "lat": lat, "res": res, "score": score, "mean": mean, "stdev": stdev})
    reasons = reasons_of(lat, res, score)
    if reasons:
        trigger = {"event": "anomaly_trigger", "ts": now_iso(), "reasons": reasons, "latency": lat["latency_ms"], "score": score, **res}
        append(log_file, trigger)
        if heal and any(not r.startswith("disk_warning") for r in reasons):
            subprocess.run(heal, timeout=60, check=False)


if __name__ == "__main__":
    main()
