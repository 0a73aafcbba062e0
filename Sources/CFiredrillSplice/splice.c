#define _GNU_SOURCE
#include "firedrill_splice.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

int firedrill_relay_pipe(int fds[2], int size) {
#if defined(__linux__)
    if (pipe2(fds, O_CLOEXEC) != 0) return -1;
    if (size > 0) (void)fcntl(fds[1], F_SETPIPE_SZ, size);
    return 0;
#else
    (void)fds;
    (void)size;
    errno = ENOSYS;
    return -1;
#endif
}

ssize_t firedrill_splice(int from, int to, size_t length) {
#if defined(__linux__)
    return splice(from, NULL, to, NULL, length, SPLICE_F_MOVE);
#else
    (void)from;
    (void)to;
    (void)length;
    errno = ENOSYS;
    return -1;
#endif
}

int firedrill_wait_readable(int fd, uint64_t nanos) {
    struct pollfd p = { .fd = fd, .events = POLLIN, .revents = 0 };
#if defined(__linux__)
    struct timespec timeout = { .tv_sec = (time_t)(nanos / 1000000000u), .tv_nsec = (long)(nanos % 1000000000u) };
    return ppoll(&p, 1, &timeout, NULL);
#else
    uint64_t ms = (nanos + 999999u) / 1000000u;
    return poll(&p, 1, ms > 60000 ? 60000 : (int)ms);
#endif
}
