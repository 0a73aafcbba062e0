#ifndef FIREDRILL_SPLICE_H
#define FIREDRILL_SPLICE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/// The Linux calls `network.proxy` needs that Swift's libc module does not expose: `splice(2)` through a pipe for
/// zero-copy forwarding, and `ppoll(2)` for nanosecond waits. Plain integers in and out; errno tells the failure.

/// A pipe for moving bytes with `splice`, close-on-exec, grown to `size` bytes when the system allows (a smaller
/// pipe still works). Returns 0 and fills `fds` (read end, write end), or -1. -1 with ENOSYS where there is no
/// splice (not Linux).
int firedrill_relay_pipe(int fds[2], int size);

/// Moves up to `length` bytes from `from` to `to` without copying them through user space (one of them must be
/// a pipe). Blocks as the descriptors do. Returns the bytes moved, 0 at end of input, or -1.
ssize_t firedrill_splice(int from, int to, size_t length);

/// Waits up to `nanos` nanoseconds for `fd` to be readable (or hung up). 1 when it is, 0 on timeout, -1 on error.
int firedrill_wait_readable(int fd, uint64_t nanos);

#endif
