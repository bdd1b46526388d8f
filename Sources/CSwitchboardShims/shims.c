#define _GNU_SOURCE
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <malloc.h>
#include <pthread.h>
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

/* TLS engine (SIPTransport/TLS): OpenSSL macros used by TLSContext and TLSSession. */
#include <openssl/err.h>

int sb_ssl_ctx_set_max_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_max_proto_version(ctx, version);
}

long sb_ssl_ctx_set_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_mode(ctx, mode);
}

void sb_ssl_ctx_disable_renegotiation_and_compression(SSL_CTX *ctx) {
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
}

int sb_bio_set_mem_eof_return(BIO *bio, int value) {
    return (int)BIO_set_mem_eof_return(bio, value);
}

int sb_err_get_lib(unsigned long code) {
    return ERR_GET_LIB(code);
}

int sb_err_get_reason(unsigned long code) {
    return ERR_GET_REASON(code);
}

int sb_x509_name_rfc2253(X509_NAME *name, char *buf, int size) {
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio == NULL || size <= 0) {
        BIO_free(bio);
        return -1;
    }
    int result = -1;
    if (X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253) >= 0) {
        int length = BIO_read(bio, buf, size - 1);
        if (length < 0) length = 0;
        buf[length] = 0;
        result = length;
    }
    BIO_free(bio);
    return result;
}
/* End TLS engine shims. */
// Transport (SIPTransport).
int sb_accept4(int fd, struct sockaddr *addr, socklen_t *addrlen, int flags) {
    return accept4(fd, addr, addrlen, flags);
}
int sb_thread_set_name(unsigned long thread, const char *name) {
    return pthread_setname_np((pthread_t)thread, name);
}
static _Thread_local void *sb_send_batch;

void *sb_thread_send_batch(void) {
    return sb_send_batch;
}

void sb_set_thread_send_batch(void *batch) {
    sb_send_batch = batch;
}
// End transport.
// Media relay (Media/Relay).
int sb_epoll_create(void) {
    return epoll_create1(EPOLL_CLOEXEC);
}

int sb_epoll_add(int epfd, int fd, uint64_t token) {
    struct epoll_event event = {.events = EPOLLIN, .data.u64 = token};
    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &event);
}

int sb_epoll_remove(int epfd, int fd) {
    struct epoll_event unused = {0};
    return epoll_ctl(epfd, EPOLL_CTL_DEL, fd, &unused);
}

int sb_epoll_wait(int epfd, uint64_t *tokens, int max, int timeout_ms) {
    struct epoll_event events[64];
    if (max > 64) max = 64;
    int n = epoll_wait(epfd, events, max, timeout_ms);
    for (int i = 0; i < n; i++) tokens[i] = events[i].data.u64;
    return n;
}

int sb_eventfd_create(void) {
    return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}
// End media relay.

int sb_malloc_tune(int trim_bytes, int top_pad, int mmap_bytes) {
    int ok = mallopt(M_TRIM_THRESHOLD, trim_bytes);
    ok &= mallopt(M_TOP_PAD, top_pad);
    ok &= mallopt(M_MMAP_THRESHOLD, mmap_bytes);
    return ok;
}
