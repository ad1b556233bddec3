#!/usr/bin/env python3
"""Writes scripts/data/demo_cpu.lp: one host, a sample every 10 s for 5 minutes, idle CPU
dipping below 10% twice (so the demo shows CRITICAL alerts and their OK recoveries)."""
import math

BASE = 1700000000 * 10**9  # 2023-11-14T22:13:20Z
dips = {6: 8.5, 7: 4.2, 8: 6.9, 19: 3.1, 20: 9.4}
with open("scripts/data/demo_cpu.lp", "w") as f:
    f.write("# demo input for scripts/kafka-cpu-alert.tick (see tools/gen_demo_lp.py)\n")
    for i in range(30):
        idle = dips.get(i, round(55 + 20 * math.sin(i / 3.0), 2))
        user = round((100 - idle) * 0.7, 2)
        system = round(100 - idle - user, 2)
        f.write(f"cpu,host=server01,region=us-west usage_idle={idle},usage_user={user},"
                f"usage_system={system} {BASE + i * 10 * 10**9}\n")
