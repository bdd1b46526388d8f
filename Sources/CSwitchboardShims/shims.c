#define _GNU_SOURCE
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
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
// Kernel forwarding (Media/Relay/Kernel).
static int sb_bpf(int command, union bpf_attr *attr) {
    return (int)syscall(__NR_bpf, command, attr, sizeof(*attr));
}

int sb_bpf_map_create(uint32_t type, uint32_t key_size, uint32_t value_size, uint32_t max_entries, uint32_t flags) {
    union bpf_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.map_type = type;
    attr.key_size = key_size;
    attr.value_size = value_size;
    attr.max_entries = max_entries;
    attr.map_flags = flags;
    strncpy(attr.map_name, "sb_rtp_rules", sizeof(attr.map_name) - 1);
    return sb_bpf(BPF_MAP_CREATE, &attr);
}

int sb_bpf_prog_load(uint32_t type, const void *instructions, uint32_t count, const char *license,
                     char *log, uint32_t log_size, uint32_t log_level, const char *name) {
    union bpf_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.prog_type = type;
    attr.insns = (uint64_t)(uintptr_t)instructions;
    attr.insn_cnt = count;
    attr.license = (uint64_t)(uintptr_t)license;
    if (log != NULL && log_size > 0) {
        attr.log_buf = (uint64_t)(uintptr_t)log;
        attr.log_size = log_size;
        attr.log_level = log_level;
    }
    if (name != NULL) strncpy(attr.prog_name, name, sizeof(attr.prog_name) - 1);
    return sb_bpf(BPF_PROG_LOAD, &attr);
}

int sb_bpf_link_create(int prog_fd, int ifindex, uint32_t attach_type) {
    union bpf_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.link_create.prog_fd = (uint32_t)prog_fd;
    attr.link_create.target_ifindex = (uint32_t)ifindex;
    attr.link_create.attach_type = attach_type;
    return sb_bpf(BPF_LINK_CREATE, &attr);
}

static int sb_bpf_map_element(int command, int map_fd, const void *key, void *value, uint64_t flags) {
    union bpf_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.map_fd = (uint32_t)map_fd;
    attr.key = (uint64_t)(uintptr_t)key;
    attr.value = (uint64_t)(uintptr_t)value;
    attr.flags = flags;
    return sb_bpf(command, &attr);
}

int sb_bpf_map_update(int map_fd, const void *key, const void *value, uint64_t flags) {
    return sb_bpf_map_element(BPF_MAP_UPDATE_ELEM, map_fd, key, (void *)value, flags);
}

int sb_bpf_map_lookup(int map_fd, const void *key, void *value) {
    return sb_bpf_map_element(BPF_MAP_LOOKUP_ELEM, map_fd, key, value, 0);
}

int sb_bpf_map_delete(int map_fd, const void *key) {
    return sb_bpf_map_element(BPF_MAP_DELETE_ELEM, map_fd, key, NULL, 0);
}

int sb_bpf_map_lookup_and_delete(int map_fd, const void *key, void *value) {
    return sb_bpf_map_element(BPF_MAP_LOOKUP_AND_DELETE_ELEM, map_fd, key, value, 0);
}

int sb_bpf_prog_test_run(int prog_fd, const void *data, uint32_t size, void *out, uint32_t *out_size, int32_t *verdict) {
    union bpf_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.test.prog_fd = (uint32_t)prog_fd;
    attr.test.data_in = (uint64_t)(uintptr_t)data;
    attr.test.data_size_in = size;
    attr.test.data_out = (uint64_t)(uintptr_t)out;
    attr.test.data_size_out = *out_size;
    attr.test.repeat = 1;
    int r = sb_bpf(BPF_PROG_TEST_RUN, &attr);
    if (r == 0) {
        *out_size = attr.test.data_size_out;
        *verdict = (int32_t)attr.test.retval;
    }
    return r;
}

uint64_t sb_boottime_ns(void) {
    struct timespec now;
    clock_gettime(CLOCK_BOOTTIME, &now);
    return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}
// End kernel forwarding.

int sb_malloc_tune(int trim_bytes, int top_pad, int mmap_bytes) {
    int ok = mallopt(M_TRIM_THRESHOLD, trim_bytes);
    ok &= mallopt(M_TOP_PAD, top_pad);
    ok &= mallopt(M_MMAP_THRESHOLD, mmap_bytes);
    return ok;
}
