#define _GNU_SOURCE
#include "firedrill_splice.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#if defined(__linux__)
#include <sys/epoll.h>
#endif
#include <time.h>
#include <unistd.h>

int firedrill_relay_pipe(int fds[2], int size) {
#if defined(__linux__)
    if (pipe2(fds, O_CLOEXEC) != 0) return -1;
    if (size > 0) (void)fcntl(fds[1], F_SETPIPE_SZ, size);
    int capacity = fcntl(fds[1], F_GETPIPE_SZ);
    if (capacity <= 0) {
        int saved = errno;
        close(fds[0]);
        close(fds[1]);
        errno = saved;
        return -1;
    }
    return capacity;
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

ssize_t firedrill_splice_now(int from, int to, size_t length) {
#if defined(__linux__)
    return splice(from, NULL, to, NULL, length, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
#else
    (void)from;
    (void)to;
    (void)length;
    errno = ENOSYS;
    return -1;
#endif
}

int firedrill_loop_create(void) {
#if defined(__linux__)
    return epoll_create1(EPOLL_CLOEXEC);
#else
    errno = ENOSYS;
    return -1;
#endif
}

int firedrill_loop_add(int loop, int fd, uint64_t token) {
#if defined(__linux__)
    struct epoll_event event = { .events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, .data.u64 = token };
    return epoll_ctl(loop, EPOLL_CTL_ADD, fd, &event);
#else
    (void)loop;
    (void)fd;
    (void)token;
    errno = ENOSYS;
    return -1;
#endif
}

int firedrill_loop_remove(int loop, int fd) {
#if defined(__linux__)
    struct epoll_event event = { 0 };
    return epoll_ctl(loop, EPOLL_CTL_DEL, fd, &event);
#else
    (void)loop;
    (void)fd;
    errno = ENOSYS;
    return -1;
#endif
}

int firedrill_loop_wait(int loop, uint64_t *tokens, uint8_t *closed, int max, int timeout_ms) {
#if defined(__linux__)
    struct epoll_event events[256];
    if (max > 256) max = 256;
    int n = epoll_wait(loop, events, max, timeout_ms);
    if (n < 0) return errno == EINTR ? 0 : -1;
    for (int i = 0; i < n; i++) {
        tokens[i] = events[i].data.u64;
        closed[i] = (events[i].events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0;
    }
    return n;
#else
    (void)loop;
    (void)tokens;
    (void)closed;
    (void)max;
    (void)timeout_ms;
    errno = ENOSYS;
    return -1;
#endif
}
