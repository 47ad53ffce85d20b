/*
 * The C baseline for RecordCostMain: 1200-byte DTLS 1.2 records through memory BIOs,
 * SSL_write + BIO_read + BIO_write + SSL_read per record. A manual step, not part of the
 * build:
 *   gcc -O2 -o /tmp/record_cost src/test/c/record_cost.c -lssl -lcrypto
 *   /tmp/record_cost server-cert.pem server-key.pem [records]
 */
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Moves what one SSL wrote to the other one record (one datagram) at a time. */
static void move(BIO *from, BIO *to, SSL *to_ssl, unsigned char *buf) {
    int len;
    while ((len = BIO_read(from, buf, 20000)) > 0) {
        for (int at = 0; at < len;) {
            int n = 13 + ((buf[at + 11] << 8) | buf[at + 12]);
            BIO_write(to, buf + at, n);
            SSL_do_handshake(to_ssl);
            at += n;
        }
    }
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s cert.pem key.pem [records]\n", argv[0]);
        return 2;
    }
    long n = argc > 3 ? atol(argv[3]) : 1000000;
    SSL_CTX *sctx = SSL_CTX_new(DTLS_method());
    SSL_CTX *cctx = SSL_CTX_new(DTLS_method());
    if (SSL_CTX_use_certificate_chain_file(sctx, argv[1]) != 1
            || SSL_CTX_use_PrivateKey_file(sctx, argv[2], SSL_FILETYPE_PEM) != 1) {
        ERR_print_errors_fp(stderr);
        return 1;
    }
    SSL_CTX_set_cipher_list(cctx, "ECDHE-ECDSA-AES128-GCM-SHA256");
    SSL *c = SSL_new(cctx), *s = SSL_new(sctx);
    BIO *cr = BIO_new(BIO_s_mem()), *cw = BIO_new(BIO_s_mem());
    BIO *sr = BIO_new(BIO_s_mem()), *sw = BIO_new(BIO_s_mem());
    BIO_set_mem_eof_return(cr, -1);
    BIO_set_mem_eof_return(cw, -1);
    BIO_set_mem_eof_return(sr, -1);
    BIO_set_mem_eof_return(sw, -1);
    SSL_set_bio(c, cr, cw);
    SSL_set_bio(s, sr, sw);
    SSL_set_connect_state(c);
    SSL_set_accept_state(s);
    static unsigned char buf[20000], plain[20000];
    SSL_do_handshake(c);
    for (int i = 0; i < 20; i++) {
        move(cw, sr, s, buf);
        move(sw, cr, c, buf);
    }
    if (SSL_do_handshake(c) != 1 || SSL_do_handshake(s) != 1) {
        ERR_print_errors_fp(stderr);
        return 1;
    }
    for (int round = 0; round < 2; round++) {
        long count = round == 0 ? n / 5 : n;
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        for (long i = 0; i < count; i++) {
            SSL_write(c, plain, 1200);
            int len = BIO_read(cw, buf, sizeof buf);
            BIO_write(sr, buf, len);
            if (SSL_read(s, plain, sizeof plain) != 1200) {
                fprintf(stderr, "record %ld lost\n", i);
                return 1;
            }
        }
        clock_gettime(CLOCK_MONOTONIC, &b);
        if (round == 1) {
            double ns = ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / count;
            printf("C: %.0f ns/record (%ld records)\n", ns, count);
        }
    }
    SSL_free(c);
    SSL_free(s);
    SSL_CTX_free(cctx);
    SSL_CTX_free(sctx);
    return 0;
}
