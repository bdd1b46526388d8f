/*
 * reg_load: REGISTER load over UDP for scripts/bench-registrar.sh, fast
 * enough (one thread, batched syscalls) never to be what limits a registrar.
 *
 *   cc -O2 -o reg_load reg_load.c -lcrypto
 *   reg_load TARGET_HOST:PORT RATE COUNT [--auth none|challenge|reuse]
 *            [--users U] [--warmup W] [--password PW] [--uac-port PORT]
 *
 * Starts COUNT registrations at RATE per second, evenly (a batch every
 * millisecond), from one socket on 127.0.0.1:--uac-port (default $UAC_PORT,
 * else 5080). Each is for an AOR user<N>@TARGET_HOST with its own Contact
 * <sip:user<N>@127.0.0.1:port>, Call-ID and From tag, Expires 3600, the
 * shape of ../shared/bench/reg.xml. --auth picks what a registration is:
 *   none       REGISTER -> 200, no credentials (like ../shared/bench/reg.sh)
 *   challenge  (default) registration N is for user<N>: REGISTER -> 401 ->
 *              REGISTER with MD5 credentials (qop=auth, nc=00000001) -> 200;
 *              a 401 to the one with credentials fails it.
 *   reuse      phones refreshing: U users (--users, default COUNT) register
 *              in turn, registration N being for user ((N-1) mod U)+1. A
 *              user's first REGISTER is challenged; later ones carry
 *              credentials for the nonce it holds, with nc one higher. A 401
 *              to those (stale=true or not) is answered once with fresh
 *              credentials and counted as rechallenged. A user whose last
 *              registration is still unanswered when its turn comes fails
 *              that turn (counted as busy).
 *              --warmup W first registers every user once (challenged) at W
 *              per second, not measured: the phones were registered before,
 *              so the measured run is refreshes only (a server that lets a
 *              nonce be reused answers them without a challenge). The run
 *              stops with status 1 if a warm-up registration fails.
 * The realm is the challenge's; every user has the password --password
 * (default bench-pw). A user keeps its Call-ID and raises CSeq from one
 * REGISTER to the next, as a phone does (RFC 3261 10.2.4). A request is
 * retransmitted per RFC 3261 17.1.2.2 (Timer E: 500 ms, doubling up to
 * 4 s); one unanswered for 10 s fails its registration. Runs at most
 * COUNT/RATE + 15 s.
 *
 * Output: a line starting with '#' counting each final status received,
 * stale challenges, late answers to retransmitted requests (stray), busy
 * turns and timeouts, then, last, in reg.sh's form with more fields:
 *   reg: rate=R count=N ok=S failed=F retrans=X avg_response_ms=M unexpected=U
 *        achieved_rps=A elapsed_s=E p50_response_ms=P50 p99_response_ms=P99
 *        rechallenged=C loader_cpu_s=L
 * The response time runs from a registration's first REGISTER to its 200;
 * achieved_rps is ok over the time from the first REGISTER to the last 200;
 * unexpected counts datagrams that are no response to a registration of this
 * run (a late answer to a retransmission is not one of them); loader_cpu_s is
 * this process's own user + system CPU. Exit status 0 when every
 * registration succeeded and nothing was unexpected, 1 otherwise, 2 on usage.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <openssl/evp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { AUTH_NONE, AUTH_CHALLENGE, AUTH_REUSE };
#define BATCH 64           /* datagrams per sendmmsg / recvmmsg */
#define MSG_MAX 1400       /* one REGISTER */
#define RECV_MAX 4096      /* one response */
#define NONCE_MAX 128
#define WHEEL 16384        /* timer slots of 1 ms; no timer is more than 10 s ahead */
#define NIL (-1)

/* One user: the registration it has in flight and the nonce it holds. */
struct user {
    int64_t started_us;           /* first REGISTER of the registration in flight */
    int64_t deadline_ms, rtx_ms;  /* when the request in flight fails, is sent again */
    int64_t due_ms;               /* the earlier of the two, its timer */
    int32_t slot, prev, next;     /* timer wheel list (slot -1: not armed) */
    uint32_t cseq, nc, interval_ms;
    uint8_t pending, authed, rechallenged, nonce_len;
    char nonce[NONCE_MAX];
};

static struct user *users;
static long nusers;
static int32_t wheel[WHEEL];
static int64_t wheel_ms;
static int fd, mode = AUTH_CHALLENGE, lport;
static char host[64], uri[96], local[INET_ADDRSTRLEN], tag[16], ha2[33];
static char realm[128], opaque[128], password[128] = "bench-pw";
static size_t tag_len;
static EVP_MD_CTX *md;
static const EVP_MD *md5;
static long ok, failed, retrans, unexpected, stray, rechallenged, stale_seen, busy, dropped, timeouts, inflight;
static long statuses[700];
static double *lat_ms;
static int64_t t0_us, last_ok_us;
static long started_total;
static double warmup_cpu;

static struct mmsghdr out[BATCH], in[BATCH];
static struct iovec out_iov[BATCH], in_iov[BATCH];
static char out_buf[BATCH][MSG_MAX], in_buf[BATCH][RECV_MAX + 1];
static int nout;

static int64_t now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

/* Lower-case hex MD5 of s[0..n). */
static void md5_hex(const char *s, size_t n, char hex[33]) {
    unsigned char d[16];
    EVP_DigestInit_ex(md, md5, NULL);
    EVP_DigestUpdate(md, s, n);
    EVP_DigestFinal_ex(md, d, NULL);
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 16; i++) hex[2 * i] = digits[d[i] >> 4], hex[2 * i + 1] = digits[d[i] & 15];
    hex[32] = 0;
}

static void timer_unlink(int32_t u) {
    struct user *s = &users[u];
    if (s->slot < 0) return;
    if (s->prev != NIL) users[s->prev].next = s->next; else wheel[s->slot] = s->next;
    if (s->next != NIL) users[s->next].prev = s->prev;
    s->slot = -1;
}

static void timer_arm(int32_t u, int64_t due_ms) {
    struct user *s = &users[u];
    timer_unlink(u);
    s->due_ms = due_ms;
    s->slot = (int32_t)(due_ms & (WHEEL - 1));
    s->prev = NIL;
    s->next = wheel[s->slot];
    if (s->next != NIL) users[s->next].prev = u;
    wheel[s->slot] = u;
}

/* The REGISTER user u has in flight, with credentials when s->authed. */
static int build(int32_t u, char *b) {
    struct user *s = &users[u];
    int n = snprintf(b, MSG_MAX,
        "REGISTER %s SIP/2.0\r\n"
        "Via: SIP/2.0/UDP %s:%d;branch=z9hG4bK%s-%d-%u\r\n"
        "From: <sip:user%d@%s>;tag=%sR%d\r\n"
        "To: <sip:user%d@%s>\r\n"
        "Call-ID: %d-%s@%s\r\n"
        "CSeq: %u REGISTER\r\n"
        "Contact: <sip:user%d@%s:%d>\r\n"
        "Max-Forwards: 70\r\nExpires: 3600\r\nUser-Agent: reg_load\r\n",
        uri, local, lport, tag, u, s->cseq, u, host, tag, u, u, host, u, tag, local, s->cseq, u, local, lport);
    if (s->authed) {
        char a[512], ha1[33], response[33], cnonce[9];
        snprintf(cnonce, sizeof cnonce, "%08x", (uint32_t)u * 2654435761u + s->cseq);
        md5_hex(a, (size_t)snprintf(a, sizeof a, "user%d:%s:%s", u, realm, password), ha1);
        md5_hex(a, (size_t)snprintf(a, sizeof a, "%s:%.*s:%08x:%s:auth:%s", ha1, s->nonce_len, s->nonce, s->nc,
                                    cnonce, ha2), response);
        n += snprintf(b + n, MSG_MAX - n,
            "Authorization: Digest username=\"user%d\", realm=\"%s\", nonce=\"%.*s\", uri=\"%s\", algorithm=MD5, "
            "qop=auth, nc=%08x, cnonce=\"%s\", response=\"%s\"%s%s%s\r\n",
            u, realm, s->nonce_len, s->nonce, uri, s->nc, cnonce, response,
            opaque[0] ? ", opaque=\"" : "", opaque, opaque[0] ? "\"" : "");
    }
    return n + snprintf(b + n, MSG_MAX - n, "Content-Length: 0\r\n\r\n");
}

/* Sends what is queued. A datagram the kernel refuses is left to its retransmission timer. */
static void flush(void) {
    int sent = 0;
    while (sent < nout) {
        int r = sendmmsg(fd, out + sent, nout - sent, 0);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) { dropped += nout - sent; break; }
        sent += r;
    }
    nout = 0;
}

static void queue(int32_t u) {
    if (nout == BATCH) flush();
    out_iov[nout].iov_len = (size_t)build(u, out_buf[nout]);
    nout++;
}

/* Sends user u's request as a new client transaction (Timer E, 10 s to answer). */
static void begin_transaction(int32_t u, int64_t now_ms) {
    struct user *s = &users[u];
    s->interval_ms = 500;
    s->rtx_ms = now_ms + 500;
    s->deadline_ms = now_ms + 10000;
    timer_arm(u, s->rtx_ms);
    queue(u);
}

static void finish(int32_t u, int success, int64_t now) {
    struct user *s = &users[u];
    timer_unlink(u);
    s->pending = 0;
    inflight--;
    if (!success) { failed++; return; }
    lat_ms[ok++] = (double)(now - s->started_us) / 1000.0;
    last_ok_us = now;
}

static void start_registration(long k, int64_t now) {
    int32_t u = (int32_t)(mode == AUTH_REUSE ? k % nusers + 1 : k + 1);
    struct user *s = &users[u];
    if (s->pending) { busy++; failed++; return; }  /* its previous one is still unanswered */
    s->pending = 1;
    s->rechallenged = 0;
    s->authed = mode == AUTH_REUSE && s->nonce_len > 0;
    if (s->authed) s->nc++;
    s->cseq++;
    s->started_us = now;
    inflight++;
    begin_transaction(u, now / 1000);
}

/* Each timer due up to now_ms: retransmit, or fail what waited 10 s. */
static void run_timers(int64_t now_ms) {
    for (; wheel_ms <= now_ms; wheel_ms++) {
        for (int32_t u = wheel[wheel_ms & (WHEEL - 1)], next; u != NIL; u = next) {
            struct user *s = &users[u];
            next = s->next;
            if (s->due_ms > wheel_ms) continue;
            if (wheel_ms >= s->deadline_ms) { timeouts++; finish(u, 0, 0); continue; }
            queue(u);
            retrans++;
            s->interval_ms = s->interval_ms * 2 > 4000 ? 4000 : s->interval_ms * 2;
            s->rtx_ms = wheel_ms + s->interval_ms;
            timer_arm(u, s->rtx_ms < s->deadline_ms ? s->rtx_ms : s->deadline_ms);
        }
    }
}

/* The value of parameter `name` in the auth-params v[0..n), without quotes. */
static int auth_param(const char *v, size_t n, const char *name, const char **val, size_t *len) {
    const char *p = v, *end = v + n;
    size_t want = strlen(name);
    while (p < end) {
        while (p < end && (*p == ' ' || *p == ',' || *p == '\t')) p++;
        const char *k = p;
        while (p < end && *p != '=' && *p != ',' && *p != ' ') p++;
        size_t kn = (size_t)(p - k);
        while (p < end && *p == ' ') p++;
        if (p >= end || *p != '=') continue;
        p++;
        while (p < end && *p == ' ') p++;
        const char *s = p;
        if (p < end && *p == '"') { s = ++p; while (p < end && *p != '"') p++; }
        else while (p < end && *p != ',' && *p != ' ') p++;
        if (kn == want && !strncasecmp(k, name, want)) { *val = s; *len = (size_t)(p - s); return 1; }
        if (p < end && *p == '"') p++;
    }
    return 0;
}

/* A response: status line, Call-ID (<user>-<tag>@...), CSeq and an MD5 Digest challenge. */
static void handle(char *p, size_t n, int64_t now) {
    if (n < 12 || memcmp(p, "SIP/2.0 ", 8)) { unexpected++; return; }
    int status = atoi(p + 8);
    if (status < 100 || status > 699) { unexpected++; return; }
    long u = -1;
    unsigned long cseq = 0;
    const char *ch = NULL;
    size_t chn = 0;
    char *end = p + n, *line = memchr(p, '\n', n);
    while (line && ++line < end) {
        char *eol = memchr(line, '\n', (size_t)(end - line));
        if (!eol) eol = end;
        size_t len = (size_t)(eol - line);
        if (len && line[len - 1] == '\r') len--;
        if (len == 0) break;
        char *colon = memchr(line, ':', len), *v, *ve = line + len;
        if (colon) {
            size_t kn = (size_t)(colon - line);
            while (kn && (line[kn - 1] == ' ' || line[kn - 1] == '\t')) kn--;
            for (v = colon + 1; v < ve && (*v == ' ' || *v == '\t'); v++) {}
            if ((kn == 7 && !strncasecmp(line, "Call-ID", 7)) || (kn == 1 && (*line | 32) == 'i')) {
                char *e;
                u = strtol(v, &e, 10);
                if (e == v || *e != '-' || (size_t)(ve - e) <= tag_len + 1 || memcmp(e + 1, tag, tag_len) ||
                    e[1 + tag_len] != '@' || u < 1 || u > nusers) u = -1;
            } else if (kn == 4 && !strncasecmp(line, "CSeq", 4)) {
                cseq = strtoul(v, NULL, 10);
            } else if (kn == 16 && !strncasecmp(line, "WWW-Authenticate", 16) && !ch &&
                       ve - v > 7 && !strncasecmp(v, "Digest ", 7)) {
                const char *a;
                size_t an;
                if (!auth_param(v + 7, (size_t)(ve - v - 7), "algorithm", &a, &an) ||
                    (an == 3 && !strncasecmp(a, "MD5", 3))) ch = v + 7, chn = (size_t)(ve - v - 7);
            }
        }
        line = eol;
    }
    if (u < 0) { unexpected++; return; }
    struct user *s = &users[u];
    if (!s->pending || cseq != s->cseq) { stray++; return; }  /* answers an earlier request */
    if (status < 200) return;
    statuses[status]++;
    if (status < 300) { finish((int32_t)u, 1, now); return; }
    if (status != 401 || mode == AUTH_NONE || !ch) { finish((int32_t)u, 0, now); return; }
    const char *v;
    size_t vn;
    if (auth_param(ch, chn, "stale", &v, &vn) && vn == 4 && !strncasecmp(v, "true", 4)) stale_seen++;
    if (s->authed) {
        if (mode != AUTH_REUSE || s->rechallenged) { finish((int32_t)u, 0, now); return; }
        s->rechallenged = 1;
        rechallenged++;
    }
    if (!auth_param(ch, chn, "nonce", &v, &vn) || vn >= NONCE_MAX) { finish((int32_t)u, 0, now); return; }
    memcpy(s->nonce, v, vn);
    s->nonce_len = (uint8_t)vn;
    if (auth_param(ch, chn, "realm", &v, &vn) && vn < sizeof realm) { memcpy(realm, v, vn); realm[vn] = 0; }
    if (auth_param(ch, chn, "opaque", &v, &vn) && vn < sizeof opaque) { memcpy(opaque, v, vn); opaque[vn] = 0; }
    s->authed = 1;
    s->nc = 1;
    s->cseq++;
    begin_transaction((int32_t)u, now / 1000);
}

/* Starts count registrations at rate per second and waits for their answers (at most
   count/rate + 15 s); t0_us is when the first one started. */
static void run(double rate, long count) {
    long started = 0;
    t0_us = last_ok_us = now_us();
    wheel_ms = t0_us / 1000;
    int64_t stop_us = t0_us + (int64_t)(count / rate * 1e6) + 15000000;
    for (;;) {
        int64_t now = now_us();
        if (started < count) {
            long due = (long)((double)(now - t0_us) * rate / 1e6) + 1;
            if (due > count) due = count;
            while (started < due) start_registration(started++, now);
            flush();
        }
        int r;
        while ((r = recvmmsg(fd, in, BATCH, MSG_DONTWAIT, NULL)) > 0) {
            now = now_us();
            for (int i = 0; i < r; i++) {
                in_buf[i][in[i].msg_len] = 0;
                handle(in_buf[i], in[i].msg_len, now);
            }
        }
        run_timers(now_us() / 1000);
        flush();
        if ((started == count && inflight == 0) || now_us() >= stop_us) break;
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        poll(&pfd, 1, started < count ? 1 : 5);
    }
    started_total = started;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int usage(void) {
    fprintf(stderr, "usage: reg_load TARGET_HOST:PORT RATE COUNT [--auth none|challenge|reuse] [--users U] "
                    "[--warmup W] [--password PW] [--uac-port PORT]\n");
    return 2;
}

int main(int argc, char **argv) {
    const char *pos[3];
    int npos = 0, uac_port = getenv("UAC_PORT") ? atoi(getenv("UAC_PORT")) : 5080;
    long count, users_opt = 0;
    double rate, warmup = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2)) { if (npos == 3) return usage(); pos[npos++] = a; continue; }
        if (i + 1 >= argc) return usage();
        const char *v = argv[++i];
        if (!strcmp(a, "--auth")) {
            if (!strcmp(v, "none")) mode = AUTH_NONE;
            else if (!strcmp(v, "challenge")) mode = AUTH_CHALLENGE;
            else if (!strcmp(v, "reuse")) mode = AUTH_REUSE;
            else return usage();
        } else if (!strcmp(a, "--users")) users_opt = atol(v);
        else if (!strcmp(a, "--warmup")) warmup = atof(v);
        else if (!strcmp(a, "--password")) snprintf(password, sizeof password, "%s", v);
        else if (!strcmp(a, "--uac-port")) uac_port = atoi(v);
        else return usage();
    }
    if (npos != 3) return usage();
    const char *colon = strrchr(pos[0], ':');
    rate = atof(pos[1]);
    count = atol(pos[2]);
    if (!colon || (size_t)(colon - pos[0]) >= sizeof host || rate <= 0 || count <= 0) return usage();
    memcpy(host, pos[0], (size_t)(colon - pos[0]));
    int port = atoi(colon + 1);
    nusers = mode == AUTH_REUSE && users_opt > 0 ? users_opt : count;
    if (warmup < 0 || (warmup > 0 && mode != AUTH_REUSE)) return usage();

    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    struct sockaddr_in me = {.sin_family = AF_INET, .sin_port = htons((uint16_t)uac_port)};
    if (inet_pton(AF_INET, host, &to.sin_addr) != 1) { fprintf(stderr, "reg_load: %s is not an IPv4 address\n", host); return 2; }
    fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    int big = 64 << 20;
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big)) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
    if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof big)) setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
    if (bind(fd, (struct sockaddr *)&me, sizeof me) || connect(fd, (struct sockaddr *)&to, sizeof to)) {
        perror("reg_load: bind/connect");
        return 2;
    }
    socklen_t ml = sizeof me;
    getsockname(fd, (struct sockaddr *)&me, &ml);
    inet_ntop(AF_INET, &me.sin_addr, local, sizeof local);
    lport = ntohs(me.sin_port);
    snprintf(tag, sizeof tag, "%06lx", ((unsigned long)getpid() * 2654435761u ^ (unsigned long)now_us()) & 0xffffff);
    tag_len = strlen(tag);
    snprintf(uri, sizeof uri, "sip:%s:%d", host, port);
    md = EVP_MD_CTX_new();
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
    md5 = EVP_MD_fetch(NULL, "MD5", NULL);  /* fetched once: EVP_md5() looks it up on every digest */
#else
    md5 = EVP_md5();
#endif
    if (!md || !md5) { fprintf(stderr, "reg_load: no MD5 in libcrypto\n"); return 2; }
    char a[128];
    md5_hex(a, (size_t)snprintf(a, sizeof a, "REGISTER:%s", uri), ha2);

    users = calloc((size_t)nusers + 1, sizeof *users);
    lat_ms = malloc((size_t)(count > nusers ? count : nusers) * sizeof *lat_ms);
    if (!users || !lat_ms) { fprintf(stderr, "reg_load: out of memory\n"); return 2; }
    for (long u = 0; u <= nusers; u++) users[u].slot = -1;
    for (int i = 0; i < WHEEL; i++) wheel[i] = NIL;
    for (int i = 0; i < BATCH; i++) {
        out_iov[i].iov_base = out_buf[i];
        out[i].msg_hdr.msg_iov = &out_iov[i];
        out[i].msg_hdr.msg_iovlen = 1;
        in_iov[i] = (struct iovec){in_buf[i], RECV_MAX};
        in[i].msg_hdr.msg_iov = &in_iov[i];
        in[i].msg_hdr.msg_iovlen = 1;
    }

    if (warmup > 0) {
        /* Every user registers once (challenged) before the measured run, as phones that are
           already registered; then every figure starts again from zero. */
        run(warmup, nusers);
        long w_ok = ok, w_failed = failed + inflight + (nusers - started_total);
        double w_s = (double)(now_us() - t0_us) / 1e6;
        if (w_failed || unexpected) {
            printf("# reg_load: warm-up failed: %ld of %ld users registered in %.1f s, %ld unexpected\n", w_ok, nusers, w_s,
                   unexpected);
            return 1;
        }
        printf("# reg_load: warm-up: %ld users registered (challenged) at %.0f/s in %.1f s\n", w_ok, warmup, w_s);
        ok = failed = retrans = unexpected = stray = rechallenged = stale_seen = busy = dropped = timeouts = 0;
        memset(statuses, 0, sizeof statuses);
        struct rusage w;
        getrusage(RUSAGE_SELF, &w);
        warmup_cpu = (double)w.ru_utime.tv_sec + w.ru_utime.tv_usec / 1e6 + (double)w.ru_stime.tv_sec +
                     w.ru_stime.tv_usec / 1e6;
    }
    run(rate, count);
    long started = started_total;
    int64_t end_us = now_us();
    failed += inflight + (count - started);

    qsort(lat_ms, (size_t)ok, sizeof *lat_ms, by_value);
    double sum = 0;
    for (long i = 0; i < ok; i++) sum += lat_ms[i];
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
                 ru.ru_stime.tv_usec / 1e6 - warmup_cpu;
    static const char *names[] = {"none", "challenge", "reuse"};
    printf("# reg_load: auth=%s users=%ld realm=%s final responses:", names[mode], nusers, realm[0] ? realm : "-");
    for (int st = 0; st < 700; st++) if (statuses[st]) printf(" %d=%ld", st, statuses[st]);
    printf(" | stale_401=%ld stray=%ld busy=%ld send_dropped=%ld timed_out=%ld unanswered_at_end=%ld\n", stale_seen, stray,
           busy, dropped, timeouts, inflight + (count - started));
    printf("reg: rate=%.0f count=%ld ok=%ld failed=%ld retrans=%ld avg_response_ms=%.3f unexpected=%ld "
           "achieved_rps=%.1f elapsed_s=%.1f p50_response_ms=%.3f p99_response_ms=%.3f rechallenged=%ld "
           "loader_cpu_s=%.2f\n",
           rate, count, ok, failed, retrans, ok ? sum / (double)ok : 0.0, unexpected,
           ok && last_ok_us > t0_us ? (double)ok * 1e6 / (double)(last_ok_us - t0_us) : 0.0,
           (double)(end_us - t0_us) / 1e6, ok ? lat_ms[ok / 2] : 0.0,
           ok ? lat_ms[(long)((double)ok * 0.99) < ok ? (long)((double)ok * 0.99) : ok - 1] : 0.0, rechallenged, cpu);
    return failed == 0 && unexpected == 0 ? 0 : 1;
}
