#ifndef SWITCHBOARD_SHIMS_H
#define SWITCHBOARD_SHIMS_H

#include <stddef.h>
#include <sys/socket.h>
#include <openssl/ssl.h>

/// OpenSSL's SSL_CTX_set_min_proto_version is a macro; this is a function Swift can call.
int sb_ssl_ctx_set_min_proto_version(SSL_CTX *ctx, int version);
/// OpenSSL's SSL_set_tlsext_host_name (SNI) is a macro.
int sb_ssl_set_tlsext_host_name(SSL *ssl, const char *name);
/// BIO_get_mem_data is a macro; returns the readable length and sets *data.
long sb_bio_get_mem_data(BIO *bio, char **data);

/// Layout-compatible with glibc's struct mmsghdr, which is declared only under _GNU_SOURCE.
struct sb_mmsghdr {
    struct msghdr msg_hdr;
    unsigned int msg_len;
};

/// recvmmsg(2) and sendmmsg(2) for batched UDP I/O.
int sb_recvmmsg(int fd, struct sb_mmsghdr *msgvec, unsigned int vlen, int flags);
int sb_sendmmsg(int fd, struct sb_mmsghdr *msgvec, unsigned int vlen, int flags);

// Transport (SIPTransport): calls glibc declares only under _GNU_SOURCE.
/// accept4(2): accepts with SOCK_NONBLOCK | SOCK_CLOEXEC set atomically.
int sb_accept4(int fd, struct sockaddr *addr, socklen_t *addrlen, int flags);
// End transport.

#endif
