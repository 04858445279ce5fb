"""What a process could read of its own memory: how the hub's tests look for learners' tokens where
they must not be (the server zygote, another learner's server). Root only (``/proc/<pid>/mem``)."""

from __future__ import annotations

from pathlib import Path


def processes_of(uid: int) -> list[int]:
    """Process ids of every process that runs as ``uid``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and entry.stat().st_uid == uid:
                found.append(int(entry.name))
        except OSError:
            pass
    return found


def found_in_memory(pid: int, needles: set[str]) -> set[str]:
    """Which of ``needles`` are in the writable memory of process ``pid`` (its heap, stacks, data):
    what code running in that process could read of itself through /proc/self/mem."""
    wanted = {needle.encode(): needle for needle in needles}
    overlap = max(map(len, wanted), default=1)
    found = set()
    try:
        maps = Path(f"/proc/{pid}/maps").read_text().splitlines()
        memory = open(f"/proc/{pid}/mem", "rb", buffering=0)
    except OSError:
        return found
    with memory:
        for line in maps:
            addresses, permissions = line.split()[:2]
            if not permissions.startswith("rw"):
                continue
            start, end = (int(address, 16) for address in addresses.split("-"))
            previous = b""
            while start < end:
                try:
                    memory.seek(start)
                    chunk = memory.read(min(1 << 24, end - start))
                except (OSError, ValueError, OverflowError):
                    break
                window = previous + chunk
                found |= {text for data, text in wanted.items() if data in window}
                previous = chunk[-overlap:]
                start += len(chunk) or (end - start)
    return found
