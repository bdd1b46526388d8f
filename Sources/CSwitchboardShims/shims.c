#define _GNU_SOURCE
#include <sys/socket.h>
#include "CSwitchboardShims.h"

_Static_assert(sizeof(struct sb_mmsghdr) == sizeof(struct mmsghdr), "sb_mmsghdr layout");

int sb_ssl_ctx_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}

int sb_ssl_set_tlsext_host_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

long sb_bio_get_mem_data(BIO *bio, char **data) {
    return BIO_get_mem_data(bio, data);
}

int sb_recvmmsg(int fd, struct sb_mmsghdr *msgvec, unsigned int vlen, int flags) {
    return recvmmsg(fd, (struct mmsghdr *)msgvec, vlen, flags, NULL);
}

int sb_sendmmsg(int fd, struct sb_mmsghdr *msgvec, unsigned int vlen, int flags) {
    return sendmmsg(fd, (struct mmsghdr *)msgvec, vlen, flags);
}

// Transport (SIPTransport).
int sb_accept4(int fd, struct sockaddr *addr, socklen_t *addrlen, int flags) {
    return accept4(fd, addr, addrlen, flags);
}
// End transport.
