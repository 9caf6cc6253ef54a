"""Benchmarks of the channel state machine and the simulation. Prints figures; asserts nothing.

    PYTHONPATH=src python bench/sim.py            # all of it, about a minute
    PYTHONPATH=src python bench/sim.py --quick    # smaller counts

Figures (one core, wall clock):
- simulation runs per second, for the sweep's size (6 notifications) and a larger run;
- envelopes sealed per second through the machine (notify -> persisted -> data_to_send);
- envelopes opened per second through the machine (receive -> persisted: signature, chain,
  receipt bookkeeping), and restored per second (replay of a store, no signature checks).
"""

from __future__ import annotations

import argparse
import platform
import time

from hotline.protocol.channel import Channel
from hotline.protocol.types import Precedence
from hotline.testing.driver import Driver
from hotline.testing.parties import T0_MS, sample_configs
from hotline.testing.sweep import sweep

BODY = b'{"type":"free_text","text":"Flight of 4 aircraft in sector B between 0600Z and 0800Z"}'


def bench_sim(runs: int, messages: int) -> None:
    sweep(range(1), messages=messages)  # keys derived, modules warm
    started = time.perf_counter()
    done = sweep(range(1000, 1000 + runs), messages=messages)
    elapsed = time.perf_counter() - started
    print(
        f"simulation, {messages} notifications, 2-4 parties, all faults: {runs / elapsed:8.1f}"
        f" runs/s ({1000 * elapsed / runs:.1f} ms per run; {len(done.failed)} failed)"
    )


def bench_machine(count: int) -> None:
    """One sender, one receiver, no faults: the cost of the machine itself, crypto included."""
    configs = sample_configs(["RU", "US"], settings={"checkpoint_every": 1_000_000})
    ru, us = Driver(configs["RU"]), Driver(configs["US"])
    now = T0_MS
    ru.sent(ru.channel.propose(now), now)
    us.sent(us.channel.accept(now), now)
    for _ in range(3):
        for a, b in ((ru, us), (us, ru)):
            for out in a.outgoing(now):
                b.receive(out.raw, now)
    assert us.channel.opened

    sealed_s = opened_s = 0.0
    opened = 0
    for _ in range(count // 200):  # batches, so that receipts keep the window open
        started = time.perf_counter()
        raws: list[bytes] = []
        for _ in range(200):
            now += 1
            us.sent(us.channel.notify(BODY, now, prec=Precedence.ROUTINE), now)
            raws += [o.raw for o in us.outgoing(now) if b'"kind":"notification"' in o.raw]
        sealed_s += time.perf_counter() - started
        started = time.perf_counter()
        for raw in raws:
            ru.receive(raw, now)
        opened_s += time.perf_counter() - started
        opened += len(raws)
        now += 200
        for out in ru.outgoing(now):
            us.receive(out.raw, now)
    assert ru.channel.peer_status("US").durable == us.channel.own.tip

    started = time.perf_counter()
    restored = Channel.restore(ru.config, ru.store, now)
    restore_s = time.perf_counter() - started
    assert restored.peer_status("US").durable == us.channel.own.tip

    print(f"envelopes sealed through the machine:   {count / sealed_s:8.0f} /s")
    print(f"envelopes opened through the machine:   {opened / opened_s:8.0f} /s")
    print(f"envelopes restored (replay of a store): {len(ru.store) / restore_s:8.0f} /s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller counts")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    print(f"# {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    bench_sim(300 // scale, 6)
    bench_sim(60 // scale, 50)
    bench_machine(20_000 // scale)


if __name__ == "__main__":
    main()
