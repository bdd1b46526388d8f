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

/* TLS engine (SIPTransport/TLS): OpenSSL macros used by TLSContext and TLSSession. */
#include <openssl/x509.h>
/// SSL_CTX_set_max_proto_version is a macro.
int sb_ssl_ctx_set_max_proto_version(SSL_CTX *ctx, int version);
/// SSL_CTX_set_mode is a macro; returns the new mode bits.
long sb_ssl_ctx_set_mode(SSL_CTX *ctx, long mode);
/// Sets SSL_OP_NO_RENEGOTIATION and SSL_OP_NO_COMPRESSION (their values are macros Swift cannot import).
void sb_ssl_ctx_disable_renegotiation_and_compression(SSL_CTX *ctx);
/// BIO_set_mem_eof_return is a macro: what reading an empty memory BIO returns (-1: retry, not EOF).
int sb_bio_set_mem_eof_return(BIO *bio, int value);
/// ERR_GET_LIB and ERR_GET_REASON are inline helpers over a packed error code.
int sb_err_get_lib(unsigned long code);
int sb_err_get_reason(unsigned long code);
/// Writes `name` as an RFC 2253 string (`CN=a,O=b`) into buf; returns its length, or -1.
int sb_x509_name_rfc2253(X509_NAME *name, char *buf, int size);
/* End TLS engine shims. */
// Transport (SIPTransport): calls glibc declares only under _GNU_SOURCE.
/// accept4(2): accepts with SOCK_NONBLOCK | SOCK_CLOEXEC set atomically.
int sb_accept4(int fd, struct sockaddr *addr, socklen_t *addrlen, int flags);
/// pthread_setname_np(3): names a thread (at most 15 bytes) for top -H and perf.
int sb_thread_set_name(unsigned long thread, const char *name);
/// The calling thread's pending send batch (SIPTransport's SendBatch), or NULL.
void *sb_thread_send_batch(void);
void sb_set_thread_send_batch(void *batch);
// End transport.

// Media relay (Media/Relay): an epoll set per relay shard, behind one Dispatch read source.
// <sys/epoll.h> and <sys/eventfd.h> are not in Swift's Glibc module, and struct epoll_event is
// packed on x86_64: these wrappers take and return plain 64-bit tokens instead.
#include <stdint.h>
/// epoll_create1(EPOLL_CLOEXEC).
int sb_epoll_create(void);
/// Adds `fd` to the set, level-triggered for input; events for it carry `token`.
int sb_epoll_add(int epfd, int fd, uint64_t token);
/// Removes `fd` from the set.
int sb_epoll_remove(int epfd, int fd);
/// epoll_wait(2): up to `max` ready tokens into `tokens`; `timeout_ms` 0 polls, -1 blocks.
int sb_epoll_wait(int epfd, uint64_t *tokens, int max, int timeout_ms);
/// eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC).
int sb_eventfd_create(void);
/// Replaces libsrtp's AES-128/256 counter mode and HMAC-SHA1 with OpenSSL versions (srtp_openssl.c),
/// after srtp_init; libsrtp checks each against its known answers. Returns how many of the 3 it took.
int sb_srtp_use_openssl_primitives(void);
// End media relay.

// Kernel forwarding (Media/Relay/Kernel): bpf(2) has no glibc wrapper and union bpf_attr is
// easier to fill in C. Each returns what the system call returns (-1 and errno on failure).
/// BPF_MAP_CREATE (the kernel makes every bpf descriptor close-on-exec).
int sb_bpf_map_create(uint32_t type, uint32_t key_size, uint32_t value_size, uint32_t max_entries, uint32_t flags);
/// BPF_PROG_LOAD of `count` 8-byte instructions; the verifier's log goes to `log` (`log_size` bytes) when non-NULL.
int sb_bpf_prog_load(uint32_t type, const void *instructions, uint32_t count, const char *license,
                     char *log, uint32_t log_size, uint32_t log_level, const char *name);
/// BPF_LINK_CREATE attaching `prog_fd` to the interface `ifindex` at `attach_type` (a TCX hook).
int sb_bpf_link_create(int prog_fd, int ifindex, uint32_t attach_type);
/// BPF_MAP_UPDATE_ELEM, BPF_MAP_LOOKUP_ELEM, BPF_MAP_DELETE_ELEM, BPF_MAP_LOOKUP_AND_DELETE_ELEM.
int sb_bpf_map_update(int map_fd, const void *key, const void *value, uint64_t flags);
int sb_bpf_map_lookup(int map_fd, const void *key, void *value);
int sb_bpf_map_delete(int map_fd, const void *key);
int sb_bpf_map_lookup_and_delete(int map_fd, const void *key, void *value);
/// BPF_PROG_TEST_RUN: runs a program once over `data` (a frame); writes the result into `out`
/// (`*out_size` bytes of room, then the size written) and the program's return value into `*verdict`.
int sb_bpf_prog_test_run(int prog_fd, const void *data, uint32_t size, void *out, uint32_t *out_size, int32_t *verdict);
/// clock_gettime(CLOCK_BOOTTIME) in nanoseconds: the clock of bpf_ktime_get_boot_ns.
uint64_t sb_boottime_ns(void);
// End kernel forwarding.

// Opus (Media/Codec): opus_encoder_ctl is variadic, which Swift cannot call.
struct OpusEncoder;
/// opus_encoder_ctl(encoder, request, value) for an OPUS_SET_*_REQUEST taking an int.
int sb_opus_encoder_set_int(struct OpusEncoder *encoder, int request, int value);
/// opus_encoder_ctl(encoder, request, &value) for an OPUS_GET_*_REQUEST returning an int.
int sb_opus_encoder_get_int(struct OpusEncoder *encoder, int request, int *value);
// End Opus.

// Process (switchboard): glibc's allocator tuning, declared in <malloc.h>.
/// Keeps freed memory in the allocator instead of returning it to the
/// kernel after each burst: a fixed trim threshold of `trim_bytes`, `top_pad`
/// bytes of slack on every heap growth, allocations above `mmap_bytes` mapped.
/// Returns 1 when glibc accepted all three.
int sb_malloc_tune(int trim_bytes, int top_pad, int mmap_bytes);
// End process.

#endif
