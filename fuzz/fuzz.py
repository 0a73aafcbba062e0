#!/usr/bin/env python3
"""Mutation fuzzer for the plan loader, driving the built `firedrill validate` and `firedrill plan --offline`.

Seeds are the plans in fuzz/corpus, experiments/ and drills/. Each case applies one to three mutators (byte flips,
truncation, line shuffles and duplication, type confusion, deep nesting, alias bombs, huge scalars, interpolation
bombs, invalid UTF-8, NUL bytes, CRLF and more) and runs both commands on the result, each in its own process with
a wall-clock timeout, an address-space limit and an output-size limit.

A case fails when a command dies from a signal (a crash), runs past the timeout (a hang), uses more than the memory
budget (peak RSS), or writes more than the output budget. Everything else, any exit status included, is a pass:
rejecting a mangled plan is the expected outcome.

The run is deterministic for a given --seed and --cases. Failing inputs are saved with the reason, to replay with
`firedrill validate FILE`. The last line is the summary; the exit status is 1 when any case failed.
"""

import argparse
import concurrent.futures
import os
import random
import resource
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAX_INPUT = 1_200_000


def seeds():
    """The seed plans, in a stable order."""
    found = []
    for folder in ("fuzz/corpus", "experiments", "drills"):
        directory = os.path.join(ROOT, folder)
        if not os.path.isdir(directory):
            continue
        for name in sorted(os.listdir(directory)):
            if name.endswith((".yaml", ".yml")):
                with open(os.path.join(directory, name), "rb") as f:
                    found.append((folder + "/" + name, f.read()))
    if not found:
        sys.exit("fuzz: no seed plans found under fuzz/corpus, experiments or drills")
    return found


# ---------------------------------------------------------------------------------------------------------------
# Mutators: each takes (rng, data) and returns new bytes.

def byte_flips(rng, data):
    data = bytearray(data or b"x")
    for _ in range(rng.randint(1, 8)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def truncation(rng, data):
    return data[: rng.randint(0, len(data))]


def lines(data):
    return data.split(b"\n")


def line_shuffle(rng, data):
    parts = lines(data)
    for _ in range(rng.randint(1, 4)):
        i, j = rng.randrange(len(parts)), rng.randrange(len(parts))
        parts[i], parts[j] = parts[j], parts[i]
    return b"\n".join(parts)


def line_duplication(rng, data):
    parts = lines(data)
    i = rng.randrange(len(parts))
    count = min(rng.choice([1, 2, 10, 1000, 20000]), MAX_INPUT // (len(parts[i]) + 1))
    return b"\n".join(parts[:i] + [parts[i]] * count + parts[i:])


def line_deletion(rng, data):
    parts = lines(data)
    del parts[rng.randrange(len(parts))]
    return b"\n".join(parts)


CONFUSIONS = [
    b"[]", b"{}", b"~", b"null", b"-1", b"0", b"1e999", b"-1e999", b".nan", b".inf", b"true", b"yes", b"''", b'""',
    b"99999999999999999999999999999999", b"-9223372036854775809", b"100000000000000000000/s", b"1e300/s",
    b"0.0000000000000000001/h", b"36501d", b"99999999999h", b"1e400%", b"9EiB", b"!!binary aGVsbG8=", b"[a, [b, {c: d}]]",
    b"{ env: HOME }", b"${x}", b"${env.HOME}", b"${secret.nope}", b"${steps.a.b.c}", b"${", b"*undefined_alias",
    b"&anchor value", b"|\n  block", b">-\n  folded", b"--all", b"file:///etc/passwd", b"fileb:///etc/shadow", b"-rf /",
    b"@:/#", b"\"\\x00\"", b"'", b'"', b"? complex\n: key",
]


def type_confusion(rng, data):
    parts = lines(data)
    candidates = [i for i, line in enumerate(parts) if b":" in line]
    if not candidates:
        return data + b"\n" + rng.choice(CONFUSIONS)
    i = rng.choice(candidates)
    key, _, _ = parts[i].partition(b":")
    parts[i] = key + b": " + rng.choice(CONFUSIONS)
    return b"\n".join(parts)


def deep_nesting(rng, data):
    depth = rng.choice([65, 100, 1000, 3000, 5000, 20000, 100000])
    style = rng.randrange(7)
    if style == 0:
        nest = b"[" * depth + b"x" + b"]" * depth
    elif style == 1:
        nest = b"{a: " * depth + b"x" + b"}" * depth
    elif style == 2:
        nest = b"- " * depth + b"x"
    elif style == 3:
        depth = min(depth, 1400)
        nest = b"\n".join(b" " * i + b"k:" for i in range(depth)) + b" x"
    elif style == 4:
        depth = min(depth, 1400)
        nest = b"\n".join(b" " * (2 * i) + b"- k:" for i in range(depth)) + b" x"
    elif style == 5:
        nest = b"[" * depth
    else:
        # Compact sequences after a line break other than LF, or after an explicit key or a document marker.
        nest = rng.choice([b"x:\r", b"x:\xc2\x85", b"x:\xe2\x80\xa8", b"? a\n: ", b"--- "]) + b"- " * depth + b"x"
    parts = lines(data)
    at = rng.randrange(len(parts) + 1)
    if style in (3, 4) or rng.random() < 0.5:
        return b"\n".join(parts[:at] + [nest] + parts[at:])
    key = b"deep: " if rng.random() < 0.5 else b"  - "
    return b"\n".join(parts[:at] + [key + nest] + parts[at:])


def alias_bomb(rng, data):
    width = rng.choice([2, 5, 9, 10])
    levels = rng.choice([5, 9, 12, 20])
    names = ["l%d" % i for i in range(levels)]
    out = ["%s: &%s [%s]" % (names[0], names[0], ", ".join(["lol"] * width))]
    for prev, name in zip(names, names[1:]):
        out.append("%s: &%s [%s]" % (name, name, ", ".join(["*" + prev] * width)))
    bomb = "\n".join(out).encode()
    if rng.random() < 0.5:
        return bomb + b"\n" + data
    return data + b"\n" + bomb + b"\n"


def huge_scalar(rng, data):
    size = rng.choice([4096, 65536, 300000, 1100000])
    filler = rng.choice([b"a", b"9", b"${x}", b"\\", b" ", b"\xc3\xa9", b"#", b"[", b"'"])
    scalar = (filler * (size // len(filler) + 1))[:size]
    parts = lines(data)
    at = rng.randrange(len(parts) + 1)
    line = rng.choice([b"description: ", b"title: \"", b"vars:\n  x: ", b"  - command: [echo, ", b"huge: ", b""]) + scalar
    return b"\n".join(parts[:at] + [line] + parts[at:])


def interpolation_bomb(rng, data):
    count = rng.choice([100, 10000, 50000])
    ref = rng.choice([b"${x}", b"${env.HOME}", b"${secret.s}", b"${steps.a.b}", b"${undefined}", b"${${", b"$${x}"])
    vars_block = b"vars:\n  x: \"" + b"y" * rng.choice([10, 1000, 60000]) + b"\"\n"
    return vars_block + b"description: \"" + ref * count + b"\"\n" + data


def invalid_utf8(rng, data):
    junk = rng.choice([b"\x80", b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe2\x82", b"\xfe\xff", b"\xef\xbb\xbf"])
    at = rng.randint(0, len(data))
    return data[:at] + junk + data[at:]


def nul_bytes(rng, data):
    at = rng.randint(0, len(data))
    return data[:at] + b"\x00" * rng.randint(1, 3) + data[at:]


def line_endings(rng, data):
    choice = rng.randrange(3)
    if choice == 0:
        return data.replace(b"\n", b"\r\n")
    if choice == 1:
        return data.replace(b"\n", b"\r")
    return data.replace(b"\n", b"\n\r", 3)


def yaml_oddities(rng, data):
    extra = rng.choice([
        b"---\n", b"...\n", b"%YAML 1.1\n---\n", b"%TAG ! tag:x,2000:\n---\n", b"\t", b"<<: *a\n", b"? [a, b]\n: c\n",
        b"!!python/object:os.system ls\n", b"key: !!timestamp 2001-12-14\n", b"--- !!set\n? a\n", b"&a a: *a\n",
        b"a: &a [*a]\n", b"\xef\xbb\xbf", b"#" * 10000 + b"\n", b"\n" * 50000,
    ])
    at = rng.randint(0, len(data))
    return data[:at] + extra + data[at:]


MUTATORS = [
    byte_flips, truncation, line_shuffle, line_duplication, line_deletion, type_confusion, deep_nesting, alias_bomb,
    huge_scalar, interpolation_bomb, invalid_utf8, nul_bytes, line_endings, yaml_oddities,
]


def make_case(seed, index, corpus):
    """Case `index` of a run: deterministic given the seed."""
    rng = random.Random(seed * 1_000_003 + index)
    name, data = corpus[rng.randrange(len(corpus))]
    applied = []
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        mutator = MUTATORS[index % len(MUTATORS)] if not applied else rng.choice(MUTATORS)
        # Inputs stay below MAX_INPUT: a little over the loader's 1 MiB file limit, so that limit is exercised too.
        data = mutator(rng, data)[:MAX_INPUT]
        applied.append(mutator.__name__)
    return name, applied, data


# ---------------------------------------------------------------------------------------------------------------
# Running one command under limits.

def run_limited(argv, timeout, memory_bytes, output_bytes, output_path):
    """Runs argv; returns (status, signal, timed_out, max_rss_bytes, seconds, output_size)."""

    def limits():
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes * 2, memory_bytes * 2))
        resource.setrlimit(resource.RLIMIT_FSIZE, (output_bytes, output_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        os.setsid()

    started = time.monotonic()
    with open(output_path, "wb") as out:
        child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=out, preexec_fn=limits)
    timed_out = False
    deadline = started + timeout
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid == child.pid:
            break
        if time.monotonic() > deadline:
            timed_out = True
            os.killpg(child.pid, signal.SIGKILL)
            pid, status, usage = os.wait4(child.pid, 0)
            break
        time.sleep(0.005)
    child.returncode = 0  # reaped by wait4; keep Popen from waiting again
    seconds = time.monotonic() - started
    size = os.path.getsize(output_path)
    sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
    return code, sig, timed_out, usage.ru_maxrss * 1024, seconds, size


def check_case(args, corpus, index, workdir):
    name, applied, data = make_case(args.seed, index, corpus)
    path = os.path.join(workdir, "case-%d.yaml" % index)
    with open(path, "wb") as f:
        f.write(data)
    problems = []
    peak = 0
    slowest = 0.0
    for command in (["validate", path], ["plan", path, "--offline"]):
        code, sig, timed_out, rss, seconds, size = run_limited(
            [args.binary] + command, args.timeout, args.memory, args.output, path + ".out")
        peak = max(peak, rss)
        slowest = max(slowest, seconds)
        if seconds > args.slow:
            print("case %d: `%s` took %.2fs (seed %s, %s, %d bytes)" % (index, command[0], seconds, name, ", ".join(applied), len(data)), flush=True)
        what = command[0]
        if timed_out:
            problems.append("hang: `%s` ran past %gs" % (what, args.timeout))
        elif sig == signal.SIGXFSZ:
            problems.append("balloon: `%s` wrote more than %d bytes" % (what, args.output))
        elif sig is not None:
            problems.append("crash: `%s` died from signal %d (%s)" % (what, sig, signal.Signals(sig).name))
        if rss > args.memory:
            problems.append("balloon: `%s` peaked at %d MiB" % (what, rss >> 20))
        if code is not None and code not in (0, 1, 3, 4):
            problems.append("crash: `%s` exited %d" % (what, code))
    if problems:
        os.makedirs(args.failures, exist_ok=True)
        saved = os.path.join(args.failures, "case-%d.yaml" % index)
        with open(saved, "wb") as f:
            f.write(data)
        with open(saved + ".why", "w") as f:
            f.write("seed %s, mutators %s\n%s\n" % (name, ", ".join(applied), "\n".join(problems)))
    os.remove(path)
    if os.path.exists(path + ".out"):
        os.remove(path + ".out")
    return index, problems, peak, slowest, len(data)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/debug/firedrill"))
    parser.add_argument("--cases", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per command")
    parser.add_argument("--memory", type=int, default=1 << 30, help="peak RSS budget per command, bytes")
    parser.add_argument("--output", type=int, default=64 << 20, help="output budget per command, bytes")
    parser.add_argument("--slow", type=float, default=3.0, help="report commands slower than this many seconds")
    parser.add_argument("--failures", default=os.path.join(ROOT, ".build/fuzz-failures"))
    args = parser.parse_args()
    if not os.access(args.binary, os.X_OK):
        sys.exit("fuzz: %s is not an executable: run `swift build` first" % args.binary)

    corpus = seeds()
    started = time.monotonic()
    failed = []
    peak = 0
    slowest = 0.0
    largest = 0
    crashes = hangs = balloons = 0
    with tempfile.TemporaryDirectory(prefix="firedrill-fuzz") as workdir:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futures = [pool.submit(check_case, args, corpus, i, workdir) for i in range(args.cases)]
            for done, future in enumerate(concurrent.futures.as_completed(futures), 1):
                index, problems, case_peak, case_slowest, size = future.result()
                peak = max(peak, case_peak)
                slowest = max(slowest, case_slowest)
                largest = max(largest, size)
                if problems:
                    failed.append(index)
                    crashes += sum(p.startswith("crash") for p in problems)
                    hangs += sum(p.startswith("hang") for p in problems)
                    balloons += sum(p.startswith("balloon") for p in problems)
                    print("case %d FAILED: %s" % (index, "; ".join(problems)), flush=True)
                if done % 1000 == 0 and done < args.cases:
                    print("fuzz: %d/%d cases, %d failed" % (done, args.cases, len(failed)), flush=True)
    elapsed = time.monotonic() - started
    print("fuzz: seed %d, %d seed plans, largest input %d KiB; peak RSS %d MiB, slowest command %.2fs, %.0fs in all"
          % (args.seed, len(corpus), largest >> 10, peak >> 20, slowest, elapsed))
    if failed:
        print("fuzz: failing inputs saved in %s" % args.failures)
    print("fuzz: %d cases, %d passed, %d failed (%d crashes, %d hangs over %gs, %d over budget)"
          % (args.cases, args.cases - len(failed), len(failed), crashes, hangs, args.timeout, balloons))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
