"""A seccomp filter for sandboxed kernels: the system calls learner code never needs are refused.

The kernel already runs as an unprivileged user with ``no_new_privs``; the filter takes away what
such a user can still do to reach past its sandbox or attack Linux itself: create user namespaces
(which give capabilities inside them), trace or read other processes, mount, use kernel keyrings,
load BPF programs, and the io_uring and userfaultfd interfaces, frequent sources of kernel bugs.
They fail with EPERM (``clone3``, whose flags a filter cannot read, with ENOSYS, so that the C
library falls back on ``clone``, whose flags it checks). Everything else is allowed: numpy,
pandas, matplotlib, threads and subprocesses work as usual.

It is built with libseccomp, the library that systemd, Docker and bubblewrap's users rely on,
which knows the system call numbers of each processor architecture.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno

#: System calls refused to learner code, each with EPERM.
REFUSED = [
    # Namespaces: a new user namespace would give learner code capabilities inside it.
    "unshare", "setns",
    # Other processes' memory and execution.
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",
    # The file system tree.
    "mount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree", "fsopen", "fsmount", "fsconfig",
    "fspick", "mount_setattr", "open_by_handle_at", "name_to_handle_at",
    # Kernel keyrings, BPF, performance counters, kernel interfaces with a history of bugs.
    "keyctl", "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter",
    "io_uring_register",
    # The machine itself (they need privileges anyway).
    "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "reboot", "swapon", "swapoff",
    "acct", "syslog", "quotactl", "ioperm", "iopl", "settimeofday", "clock_settime", "adjtimex",
]
#: ``clone`` flags that create namespaces: a ``clone`` with any of them is refused.
NAMESPACE_FLAGS = {
    "CLONE_NEWNS": 0x00020000, "CLONE_NEWCGROUP": 0x02000000, "CLONE_NEWUTS": 0x04000000,
    "CLONE_NEWIPC": 0x08000000, "CLONE_NEWUSER": 0x10000000, "CLONE_NEWPID": 0x20000000,
    "CLONE_NEWNET": 0x40000000,
}
SCMP_ACT_ALLOW = 0x7FFF0000
SCMP_CMP_MASKED_EQ = 7


def SCMP_ACT_ERRNO(number: int) -> int:  # noqa: N802 - libseccomp's name
    return 0x00050000 | (number & 0xFFFF)


class ArgumentComparison(ctypes.Structure):
    """libseccomp's ``struct scmp_arg_cmp``."""

    _fields_ = [("arg", ctypes.c_uint), ("op", ctypes.c_int), ("datum_a", ctypes.c_uint64),
                ("datum_b", ctypes.c_uint64)]


class FilterError(RuntimeError):
    """The filter could not be built or loaded."""


def _library() -> ctypes.CDLL:
    name = ctypes.util.find_library("seccomp") or "libseccomp.so.2"
    try:
        library = ctypes.CDLL(name, use_errno=True)
    except OSError as error:
        raise FilterError("libseccomp is not installed (Debian package libseccomp2)") from error
    library.seccomp_init.restype = ctypes.c_void_p
    library.seccomp_init.argtypes = [ctypes.c_uint32]
    library.seccomp_rule_add_array.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint,
                                               ctypes.POINTER(ArgumentComparison)]
    library.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    library.seccomp_load.argtypes = [ctypes.c_void_p]
    library.seccomp_release.argtypes = [ctypes.c_void_p]
    return library


def install() -> None:
    """Load the filter into the calling process (and, through ``fork`` and ``exec``, into every
    process it starts). It cannot be removed afterwards. Raises :class:`FilterError`."""
    library = _library()
    context = library.seccomp_init(SCMP_ACT_ALLOW)
    if not context:
        raise FilterError("libseccomp could not start a filter")
    try:
        def refuse(name: str, number: int, *comparisons: ArgumentComparison) -> None:
            syscall = library.seccomp_syscall_resolve_name(name.encode())
            if syscall < 0:  # not a system call on this architecture
                return
            array = (ArgumentComparison * len(comparisons))(*comparisons) if comparisons else None
            result = library.seccomp_rule_add_array(context, SCMP_ACT_ERRNO(number), syscall, len(comparisons), array)
            if result != 0:
                raise FilterError(f"libseccomp could not add a rule for {name} (error {-result})")

        for name in REFUSED:
            refuse(name, errno.EPERM)
        refuse("clone3", errno.ENOSYS)
        for flag in NAMESPACE_FLAGS.values():
            refuse("clone", errno.EPERM, ArgumentComparison(0, SCMP_CMP_MASKED_EQ, flag, flag))
        result = library.seccomp_load(context)
        if result != 0:
            raise FilterError(f"the kernel refused the seccomp filter (error {-result})")
    finally:
        library.seccomp_release(context)
