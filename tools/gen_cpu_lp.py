#!/usr/bin/env python3
"""Generates scripts/data/cpu.lp, the bundled demo input (deterministic; fixed seed).

40 samples, 10 s apart, of `cpu` for 5 hosts (200 lines), with usage_idle dropping below 10
for a while on two hosts and recovering, plus a few `mem` lines.

    python3 tools/gen_cpu_lp.py > scripts/data/cpu.lp
"""
import random

START_NS = 1_700_000_000_000_000_000  # 2023-11-14T22:13:20Z
STEP_NS = 10_000_000_000
HOSTS = [("server01", "us-west"), ("server02", "us-west"), ("server03", "us-east"),
         ("server04", "eu-central"), ("server05", "eu-central")]
# host -> (first, last) sample index of a CPU spike (usage_idle < 10)
SPIKES = {"server03": (10, 16), "server05": (25, 28)}


def main():
    rng = random.Random(20231114)
    out = ["# tickrun demo input: cpu usage of 5 hosts every 10s, and some memory samples."]
    for step in range(40):
        ts = START_NS + step * STEP_NS
        for host, region in HOSTS:
            first, last = SPIKES.get(host, (-1, -1))
            if first <= step <= last:
                idle = rng.uniform(1.5, 9.5)
            else:
                idle = rng.uniform(55.0, 97.0)
            user = (100.0 - idle) * rng.uniform(0.6, 0.8)
            system = 100.0 - idle - user
            out.append(f"cpu,host={host},region={region} usage_idle={idle:.2f},"
                       f"usage_user={user:.2f},usage_system={system:.2f} {ts + rng.randrange(1000)}")
        if step % 10 == 0:
            for host, region in HOSTS[:2]:
                used = rng.randrange(2_000_000_000, 6_000_000_000)
                out.append(f"mem,host={host},region={region} used={used}i,"
                           f"available_percent={100.0 - used / 8e7:.2f} {ts + 500}")
    print("\n".join(out))


if __name__ == "__main__":
    main()
