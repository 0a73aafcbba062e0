#ifndef FIREDRILL_CCURL_SHIM_H
#define FIREDRILL_CCURL_SHIM_H
#include <curl/curl.h>
/* The traffic probe drives libcurl with curl_multi_socket_action over epoll (Glibc does not export it to Swift). */
#include <sys/epoll.h>

/* curl_easy_setopt and curl_easy_getinfo are variadic; Swift cannot call them.
   These typed wrappers are the only way the Swift side touches them. */
static inline CURLcode fd_curl_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode fd_curl_setopt_off_t(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode fd_curl_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode fd_curl_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode fd_curl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
/* Body and header callbacks (CURLOPT_WRITEFUNCTION, CURLOPT_HEADERFUNCTION) share this signature. */
typedef size_t (*fd_curl_write_cb)(char *, size_t, size_t, void *);
static inline CURLcode fd_curl_setopt_write(CURL *h, CURLoption o, fd_curl_write_cb v) { return curl_easy_setopt(h, o, v); }
/* CURLOPT_XFERINFOFUNCTION: returning non-zero aborts the transfer with CURLE_ABORTED_BY_CALLBACK. */
typedef int (*fd_curl_xferinfo_cb)(void *, curl_off_t, curl_off_t, curl_off_t, curl_off_t);
static inline CURLcode fd_curl_setopt_xferinfo(CURL *h, fd_curl_xferinfo_cb v) { return curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, v); }
static inline CURLcode fd_curl_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode fd_curl_getinfo_double(CURL *h, CURLINFO i, double *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode fd_curl_getinfo_off_t(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode fd_curl_getinfo_string(CURL *h, CURLINFO i, char **v) { return curl_easy_getinfo(h, i, v); }
/* curl_multi_setopt is variadic too: the event-driven (curl_multi_socket_action) callbacks and their user data. */
typedef int (*fd_curl_socket_cb)(CURL *, curl_socket_t, int, void *, void *);
typedef int (*fd_curl_timer_cb)(CURLM *, long, void *);
static inline CURLMcode fd_curl_multi_setopt_socket(CURLM *m, fd_curl_socket_cb v) { return curl_multi_setopt(m, CURLMOPT_SOCKETFUNCTION, v); }
static inline CURLMcode fd_curl_multi_setopt_timer(CURLM *m, fd_curl_timer_cb v) { return curl_multi_setopt(m, CURLMOPT_TIMERFUNCTION, v); }
static inline CURLMcode fd_curl_multi_setopt_pointer(CURLM *m, CURLMoption o, void *v) { return curl_multi_setopt(m, o, v); }
#endif
