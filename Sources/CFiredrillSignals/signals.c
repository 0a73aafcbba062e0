#define _GNU_SOURCE
#include "firedrill_signals.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile int firedrill_signal_pipe = -1;

static void firedrill_on_signal(int signo, siginfo_t *info, void *context) {
    (void)context;
    int saved = errno;
    if (signo == SIGPIPE && info != NULL && info->si_pid == getpid()) {
        errno = saved;
        return;
    }
    unsigned char byte = (unsigned char)signo;
    int fd = firedrill_signal_pipe;
    if (fd >= 0) {
        ssize_t ignored = write(fd, &byte, 1);
        (void)ignored;
    }
    errno = saved;
}

int firedrill_signals_install(const int *signals, int count) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return -1;
    /* The write end never blocks the handler: a full pipe drops the byte (the first ones already tell). */
    int flags = fcntl(fds[1], F_GETFL);
    if (flags < 0 || fcntl(fds[1], F_SETFL, flags | O_NONBLOCK) != 0) return -1;
    firedrill_signal_pipe = fds[1];

    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = firedrill_on_signal;
    action.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&action.sa_mask);
    sigset_t unblock;
    sigemptyset(&unblock);
    for (int i = 0; i < count; i++) {
        if (sigaction(signals[i], &action, NULL) != 0) return -1;
        sigaddset(&unblock, signals[i]);
    }
    pthread_sigmask(SIG_UNBLOCK, &unblock, NULL);
    return fds[0];
}

/* `firedrill run` installs its handlers before anything else runs: the loader calls this (glibc passes argc and
   argv to constructors) once the libraries are mapped, before the Swift runtime starts, so a signal that arrives
   while the runtime and the command line are still being set up is queued in the pipe, not fatal. */
static int firedrill_early_pipe = -1;

__attribute__((constructor)) static void firedrill_install_early(int argc, char **argv, char **envp) {
    (void)envp;
    if (argc < 2 || argv == NULL || argv[1] == NULL || strcmp(argv[1], "run") != 0) return;
    const int signals[] = { SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGPIPE };
    firedrill_early_pipe = firedrill_signals_install(signals, 5);
}

int firedrill_signals_early_pipe(void) {
    return firedrill_early_pipe;
}
