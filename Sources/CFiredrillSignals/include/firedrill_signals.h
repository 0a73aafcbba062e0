#ifndef FIREDRILL_SIGNALS_H
#define FIREDRILL_SIGNALS_H

/// Installs one async-signal-safe handler for each of `signals` that writes the signal number, as one byte, to a
/// pipe, and returns the pipe's read end (blocking, close-on-exec), or -1 with errno set.
///
/// A SIGPIPE the process raised itself (a write to a pipe whose reader is gone) is not forwarded: the write's
/// EPIPE already tells its caller. A SIGPIPE sent by another process is.
int firedrill_signals_install(const int *signals, int count);

/// The pipe `firedrill_signals_install` returned when the loader already installed the handlers for `firedrill
/// run` (before the Swift runtime started), or -1.
int firedrill_signals_early_pipe(void);

#endif
