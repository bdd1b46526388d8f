/* SRTP's AES counter mode and HMAC-SHA1 on OpenSSL, for libsrtp's crypto kernel (Media/SRTP).
 *
 * Debian's libsrtp2 does its crypto through NSS, which creates a PK11 context for every
 * packet (allocations, locks): about a third of the relay's CPU on an SRTP leg. libsrtp lets
 * a program replace a cipher or auth type (srtp_replace_cipher_type/_auth_type, which run the
 * old type's known-answer tests against the new one); these types keep all of SRTP in libsrtp
 * (key derivation, packet index, replay, SRTCP) and only compute the primitives:
 * - AES-ICM (RFC 3711 4.1.1): the key schedule is set once per key; each packet sets only the
 *   counter (salt XOR IV, RFC 3711 4.1.1) and runs AES-CTR over the payload in place.
 * - HMAC-SHA1 (RFC 2104, RFC 3711 4.2.1): the inner and outer SHA-1 states after the padded key
 *   are computed once per key; each packet starts from a copy of them. Those are plain SHA_CTX
 *   copies, so nothing is allocated per packet; OpenSSL 3's EVP digest copy duplicates its
 *   provider context with a malloc, which is why the (deprecated) SHA1_* calls are used here.
 * sb_srtp_use_openssl_primitives() installs them; Swift calls it once, after srtp_init.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <stdlib.h>
#include <string.h>
#include <srtp2/auth.h>
#include <srtp2/cipher.h>
#include "CSwitchboardShims.h"

/* ---- AES-ICM ---- */

typedef struct {
    EVP_CIPHER_CTX *ctx;
    const EVP_CIPHER *evp;
    int key_size;
    uint8_t offset[16]; /* salt, its last two octets zero */
} sb_icm_state;

static const srtp_cipher_type_t sb_icm_128_type;
static const srtp_cipher_type_t sb_icm_256_type;

static srtp_err_status_t sb_icm_alloc(srtp_cipher_t **c, int key_len, int tag_len) {
    (void)tag_len;
    const srtp_cipher_type_t *type;
    const EVP_CIPHER *evp;
    int algorithm;
    switch (key_len) {
    case SRTP_AES_ICM_128_KEY_LEN_WSALT:
        type = &sb_icm_128_type;
        evp = EVP_aes_128_ctr();
        algorithm = SRTP_AES_ICM_128;
        break;
    case SRTP_AES_ICM_256_KEY_LEN_WSALT:
        type = &sb_icm_256_type;
        evp = EVP_aes_256_ctr();
        algorithm = SRTP_AES_ICM_256;
        break;
    default:
        return srtp_err_status_bad_param;
    }
    uint8_t *memory = calloc(1, sizeof(srtp_cipher_t) + sizeof(sb_icm_state));
    if (memory == NULL) return srtp_err_status_alloc_fail;
    srtp_cipher_t *cipher = (srtp_cipher_t *)memory;
    sb_icm_state *state = (sb_icm_state *)(memory + sizeof(srtp_cipher_t));
    state->ctx = EVP_CIPHER_CTX_new();
    if (state->ctx == NULL) {
        free(memory);
        return srtp_err_status_alloc_fail;
    }
    state->evp = evp;
    state->key_size = key_len - SRTP_SALT_LEN;
    cipher->type = type;
    cipher->state = state;
    cipher->key_len = key_len;
    cipher->algorithm = algorithm;
    *c = cipher;
    return srtp_err_status_ok;
}

static srtp_err_status_t sb_icm_dealloc(srtp_cipher_t *c) {
    if (c == NULL) return srtp_err_status_bad_param;
    sb_icm_state *state = c->state;
    EVP_CIPHER_CTX_free(state->ctx);
    OPENSSL_cleanse(c, sizeof(srtp_cipher_t) + sizeof(sb_icm_state));
    free(c);
    return srtp_err_status_ok;
}

/* key: the AES key followed by the 14-octet salt. */
static srtp_err_status_t sb_icm_init(void *cv, const uint8_t *key) {
    sb_icm_state *state = cv;
    memset(state->offset, 0, sizeof(state->offset));
    memcpy(state->offset, key + state->key_size, SRTP_SALT_LEN);
    if (!EVP_EncryptInit_ex(state->ctx, state->evp, NULL, key, NULL)) return srtp_err_status_init_fail;
    return srtp_err_status_ok;
}

static srtp_err_status_t sb_icm_set_iv(void *cv, uint8_t *iv, srtp_cipher_direction_t direction) {
    (void)direction;
    sb_icm_state *state = cv;
    uint8_t counter[16];
    for (int i = 0; i < 16; i++) counter[i] = state->offset[i] ^ iv[i];
    if (!EVP_EncryptInit_ex(state->ctx, NULL, NULL, NULL, counter)) return srtp_err_status_cipher_fail;
    return srtp_err_status_ok;
}

/* Counter mode: encrypting and decrypting are the same keystream XOR, in place. */
static srtp_err_status_t sb_icm_encrypt(void *cv, uint8_t *buffer, unsigned int *length) {
    sb_icm_state *state = cv;
    int out = 0;
    if (!EVP_EncryptUpdate(state->ctx, buffer, &out, buffer, (int)*length)) return srtp_err_status_cipher_fail;
    *length = (unsigned int)out;
    return srtp_err_status_ok;
}

static srtp_err_status_t sb_icm_no_aad(void *cv, const uint8_t *aad, uint32_t length) {
    (void)cv;
    (void)aad;
    (void)length;
    return srtp_err_status_no_such_op;
}

static srtp_err_status_t sb_icm_no_tag(void *cv, uint8_t *tag, uint32_t *length) {
    (void)cv;
    (void)tag;
    (void)length;
    return srtp_err_status_no_such_op;
}

/* RFC 3711 B.2: the AES-CM keystream for the example key and salt, packet index 0. */
static const uint8_t sb_icm_kat_key[30] = {
    0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6, 0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f,
    0x3c, 0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd,
};
static uint8_t sb_icm_kat_index[16];
static const uint8_t sb_icm_kat_plaintext[32];
static const uint8_t sb_icm_kat_ciphertext[32] = {
    0xe0, 0x3e, 0xad, 0x09, 0x35, 0xc9, 0x5e, 0x80, 0xe1, 0x66, 0xb1, 0x6d, 0xd9, 0x2b, 0x4e, 0xb4,
    0xd2, 0x35, 0x13, 0x16, 0x2b, 0x02, 0xd0, 0xf7, 0x2a, 0x43, 0xa2, 0xfe, 0x4a, 0x5f, 0x97, 0xab,
};
static const srtp_cipher_test_case_t sb_icm_128_kat = {
    30, sb_icm_kat_key, sb_icm_kat_index, 32, sb_icm_kat_plaintext, 32, sb_icm_kat_ciphertext, 0, NULL, 0, NULL,
};

/* RFC 6188 7.1: AES-256 counter mode, packet index 0. */
static const uint8_t sb_icm_256_kat_key[46] = {
    0x57, 0xf8, 0x2f, 0xe3, 0x61, 0x3f, 0xd1, 0x70, 0xa8, 0x5e, 0xc9, 0x3c, 0x40, 0xb1, 0xf0, 0x92,
    0x2e, 0xc4, 0xcb, 0x0d, 0xc0, 0x25, 0xb5, 0x82, 0x72, 0x14, 0x7c, 0xc4, 0x38, 0x94, 0x4a, 0x98,
    0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd,
};
static const uint8_t sb_icm_256_kat_ciphertext[32] = {
    0x92, 0xbd, 0xd2, 0x8a, 0x93, 0xc3, 0xf5, 0x25, 0x11, 0xc6, 0x77, 0xd0, 0x8b, 0x55, 0x15, 0xa4,
    0x9d, 0xa7, 0x1b, 0x23, 0x78, 0xa8, 0x54, 0xf6, 0x70, 0x50, 0x75, 0x6d, 0xed, 0x16, 0x5b, 0xac,
};
static const srtp_cipher_test_case_t sb_icm_256_kat = {
    46, sb_icm_256_kat_key, sb_icm_kat_index, 32, sb_icm_kat_plaintext, 32, sb_icm_256_kat_ciphertext, 0, NULL, 0, NULL,
};

static const srtp_cipher_type_t sb_icm_128_type = {
    sb_icm_alloc, sb_icm_dealloc, sb_icm_init, sb_icm_no_aad, sb_icm_encrypt, sb_icm_encrypt, sb_icm_set_iv,
    sb_icm_no_tag, "AES-128 counter mode (OpenSSL, Switchboard)", &sb_icm_128_kat, SRTP_AES_ICM_128,
};

static const srtp_cipher_type_t sb_icm_256_type = {
    sb_icm_alloc, sb_icm_dealloc, sb_icm_init, sb_icm_no_aad, sb_icm_encrypt, sb_icm_encrypt, sb_icm_set_iv,
    sb_icm_no_tag, "AES-256 counter mode (OpenSSL, Switchboard)", &sb_icm_256_kat, SRTP_AES_ICM_256,
};

/* ---- HMAC-SHA1 ---- */

typedef struct {
    SHA_CTX inner; /* after the key XOR ipad block */
    SHA_CTX outer; /* after the key XOR opad block */
    SHA_CTX work;
} sb_hmac_state;

static const srtp_auth_type_t sb_hmac_type;

static srtp_err_status_t sb_hmac_alloc(srtp_auth_t **a, int key_len, int out_len) {
    if (key_len < 0 || key_len > SHA_DIGEST_LENGTH || out_len < 0 || out_len > SHA_DIGEST_LENGTH) {
        return srtp_err_status_bad_param;
    }
    uint8_t *memory = calloc(1, sizeof(srtp_auth_t) + sizeof(sb_hmac_state));
    if (memory == NULL) return srtp_err_status_alloc_fail;
    srtp_auth_t *auth = (srtp_auth_t *)memory;
    auth->type = &sb_hmac_type;
    auth->state = memory + sizeof(srtp_auth_t);
    auth->out_len = out_len;
    auth->key_len = key_len;
    auth->prefix_len = 0;
    *a = auth;
    return srtp_err_status_ok;
}

static srtp_err_status_t sb_hmac_dealloc(srtp_auth_t *a) {
    OPENSSL_cleanse(a, sizeof(srtp_auth_t) + sizeof(sb_hmac_state));
    free(a);
    return srtp_err_status_ok;
}

static srtp_err_status_t sb_hmac_init(void *statev, const uint8_t *key, int key_len) {
    sb_hmac_state *state = statev;
    if (key_len < 0 || key_len > SHA_DIGEST_LENGTH) return srtp_err_status_bad_param;
    uint8_t ipad[SHA_CBLOCK], opad[SHA_CBLOCK];
    memset(ipad, 0x36, sizeof(ipad));
    memset(opad, 0x5c, sizeof(opad));
    for (int i = 0; i < key_len; i++) {
        ipad[i] ^= key[i];
        opad[i] ^= key[i];
    }
    SHA1_Init(&state->inner);
    SHA1_Update(&state->inner, ipad, sizeof(ipad));
    SHA1_Init(&state->outer);
    SHA1_Update(&state->outer, opad, sizeof(opad));
    state->work = state->inner;
    OPENSSL_cleanse(ipad, sizeof(ipad));
    OPENSSL_cleanse(opad, sizeof(opad));
    return srtp_err_status_ok;
}

static srtp_err_status_t sb_hmac_start(void *statev) {
    sb_hmac_state *state = statev;
    state->work = state->inner;
    return srtp_err_status_ok;
}

static srtp_err_status_t sb_hmac_update(void *statev, const uint8_t *buffer, int length) {
    sb_hmac_state *state = statev;
    SHA1_Update(&state->work, buffer, (size_t)length);
    return srtp_err_status_ok;
}

static srtp_err_status_t sb_hmac_compute(void *statev, const uint8_t *buffer, int length, int tag_len, uint8_t *tag) {
    sb_hmac_state *state = statev;
    if (tag_len < 0 || tag_len > SHA_DIGEST_LENGTH) return srtp_err_status_bad_param;
    uint8_t digest[SHA_DIGEST_LENGTH];
    SHA1_Update(&state->work, buffer, (size_t)length);
    SHA1_Final(digest, &state->work);
    state->work = state->outer;
    SHA1_Update(&state->work, digest, sizeof(digest));
    SHA1_Final(digest, &state->work);
    memcpy(tag, digest, (size_t)tag_len);
    return srtp_err_status_ok;
}

/* RFC 2202 3, test case 1. */
static const uint8_t sb_hmac_kat_key[20] = {
    0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b,
};
static const uint8_t sb_hmac_kat_data[8] = {'H', 'i', ' ', 'T', 'h', 'e', 'r', 'e'};
static const uint8_t sb_hmac_kat_tag[20] = {
    0xb6, 0x17, 0x31, 0x86, 0x55, 0x05, 0x72, 0x64, 0xe2, 0x8b, 0xc0, 0xb6, 0xfb, 0x37, 0x8c, 0x8e, 0xf1, 0x46, 0xbe, 0x00,
};
static const srtp_auth_test_case_t sb_hmac_kat = {
    20, sb_hmac_kat_key, 8, sb_hmac_kat_data, 20, sb_hmac_kat_tag, NULL,
};

static const srtp_auth_type_t sb_hmac_type = {
    sb_hmac_alloc, sb_hmac_dealloc, sb_hmac_init, sb_hmac_compute, sb_hmac_update, sb_hmac_start,
    "HMAC-SHA1 (OpenSSL, Switchboard)", &sb_hmac_kat, SRTP_HMAC_SHA1,
};

/* Weak: the shims link into programs without libsrtp too; there these calls are never made
 * (the Swift side calls this only after srtp_init) and the symbols stay unresolved. */
#pragma weak srtp_replace_cipher_type
#pragma weak srtp_replace_auth_type

int sb_srtp_use_openssl_primitives(void) {
    if (srtp_replace_cipher_type == NULL || srtp_replace_auth_type == NULL) return 0;
    int replaced = 0;
    if (srtp_replace_cipher_type(&sb_icm_128_type, SRTP_AES_ICM_128) == srtp_err_status_ok) replaced++;
    if (srtp_replace_cipher_type(&sb_icm_256_type, SRTP_AES_ICM_256) == srtp_err_status_ok) replaced++;
    if (srtp_replace_auth_type(&sb_hmac_type, SRTP_HMAC_SHA1) == srtp_err_status_ok) replaced++;
    return replaced;
}
