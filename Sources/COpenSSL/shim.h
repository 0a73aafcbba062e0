#ifndef FIREDRILL_COPENSSL_SHIM_H
#define FIREDRILL_COPENSSL_SHIM_H
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

/* These OpenSSL calls are macros over SSL_ctrl / SSL_CTX_ctrl, which Swift cannot see.
   Typed wrappers are the only way the Swift side touches them. */
static inline int fd_ssl_set_sni(SSL *s, const char *name) { return (int)SSL_set_tlsext_host_name(s, name); }
static inline int fd_ssl_ctx_set_min_tls12(SSL_CTX *c) { return (int)SSL_CTX_set_min_proto_version(c, TLS1_2_VERSION); }
#endif
