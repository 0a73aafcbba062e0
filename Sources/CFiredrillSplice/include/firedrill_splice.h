#ifndef FIREDRILL_SPLICE_H
#define FIREDRILL_SPLICE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/// The Linux calls `network.proxy` needs that Swift's libc module does not expose: `splice(2)` through a pipe for
/// zero-copy forwarding, and `ppoll(2)` for nanosecond waits. Plain integers in and out; errno tells the failure.

/// A pipe for moving bytes with `splice`, close-on-exec, grown to `size` bytes when the system allows (a smaller
/// pipe still works). Returns its capacity in bytes and fills `fds` (read end, write end), or -1. -1 with ENOSYS
/// where there is no splice (not Linux).
int firedrill_relay_pipe(int fds[2], int size);

/// Moves up to `length` bytes from `from` to `to` without copying them through user space (one of them must be
/// a pipe). Blocks as the descriptors do. Returns the bytes moved, 0 at end of input, or -1.
ssize_t firedrill_splice(int from, int to, size_t length);

/// Waits up to `nanos` nanoseconds for `fd` to be readable (or hung up). 1 when it is, 0 on timeout, -1 on error.
int firedrill_wait_readable(int fd, uint64_t nanos);

/// The same without waiting: -1 with EAGAIN when nothing can move now (the descriptors should be non-blocking).
ssize_t firedrill_splice_now(int from, int to, size_t length);

/// An edge-triggered readiness set (epoll), close-on-exec; -1 where there is none (not Linux).
int firedrill_loop_create(void);

/// Watches `fd` for input, output and hang-up, edge-triggered; events carry `token`. 0 or -1.
int firedrill_loop_add(int loop, int fd, uint64_t token);

/// Stops watching `fd`. 0 or -1.
int firedrill_loop_remove(int loop, int fd);

/// Waits up to `timeout_ms` for events; fills `tokens` with up to `max` of them, and `closed` with whether the
/// peer of each closed its side or the socket failed; returns how many (0 on timeout or a signal, -1 on error).
int firedrill_loop_wait(int loop, uint64_t *tokens, uint8_t *closed, int max, int timeout_ms);

#endif
