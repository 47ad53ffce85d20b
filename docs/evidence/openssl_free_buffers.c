/*
 * The cost of SSL_free_buffers per record on a DTLS connection of OpenSSL 3.0, and the crash of
 * an SSL_write after it (docs/PERFORMANCE.md): mode 0 none, 1 free after each server read,
 * 2 also a server write after the free (segmentation fault with OpenSSL 3.0.19).
 *
 *   gcc -O1 -g -o openssl_free_buffers openssl_free_buffers.c -lssl -lcrypto   (key.pem, cert.pem as above)
 *   ./openssl_free_buffers 0; ./openssl_free_buffers 1; ./openssl_free_buffers 2
 */
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
static int gen(SSL *s, unsigned char *c, unsigned int *l) { memset(c, 1, 16); *l = 16; return 1; }
static int ver(SSL *s, const unsigned char *c, unsigned int l) { return 1; }
static void pump(BIO *fw, BIO *tr) { char buf[20000]; int n; while ((n = BIO_read(fw, buf, sizeof buf)) > 0) BIO_write(tr, buf, n); }
int main(int argc, char **argv) {
  int freeb = atoi(argv[1]);
  SSL_CTX *sc = SSL_CTX_new(DTLS_server_method()), *cc = SSL_CTX_new(DTLS_client_method());
  SSL_CTX_use_certificate_file(sc, "cert.pem", SSL_FILETYPE_PEM); SSL_CTX_use_PrivateKey_file(sc, "key.pem", SSL_FILETYPE_PEM);
  SSL_CTX_set_options(sc, SSL_OP_NO_QUERY_MTU | SSL_OP_NO_TICKET); SSL_CTX_set_options(cc, SSL_OP_NO_QUERY_MTU | SSL_OP_NO_TICKET);
  SSL_CTX_set_cookie_generate_cb(sc, gen); SSL_CTX_set_cookie_verify_cb(sc, ver);
  SSL_CTX_set_cipher_list(sc, "ECDHE-ECDSA-AES128-GCM-SHA256");
  SSL *s = SSL_new(sc), *c = SSL_new(cc);
  BIO *sr = BIO_new(BIO_s_mem()), *sw = BIO_new(BIO_s_mem()), *cr = BIO_new(BIO_s_mem()), *cw = BIO_new(BIO_s_mem());
  BIO_set_mem_eof_return(sr, -1); BIO_set_mem_eof_return(cr, -1);
  SSL_set_bio(s, sr, sw); SSL_set_bio(c, cr, cw); SSL_set_mtu(s, 1400); SSL_set_mtu(c, 1400);
  SSL_set_accept_state(s); SSL_set_connect_state(c); SSL_set_verify(c, SSL_VERIFY_NONE, 0);
  for (int k = 0; k < 50 && !(SSL_is_init_finished(s) && SSL_is_init_finished(c)); k++) { SSL_do_handshake(c); pump(cw, sr); SSL_do_handshake(s); pump(sw, cr); }
  char msg[1200] = {0}, b[2000]; struct timespec a, z; int N = 1000000;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (int i = 0; i < N; i++) { SSL_write(c, msg, sizeof msg); pump(cw, sr); int r = SSL_read(s, b, sizeof b); if (r != 1200) { printf("read %d at %d\n", r, i); return 1; } if (freeb) SSL_free_buffers(s); if (freeb > 1) { SSL_write(s, msg, 100); pump(sw, cr); SSL_read(c, b, sizeof b); if (freeb > 2) SSL_free_buffers(s); } }
  clock_gettime(CLOCK_MONOTONIC, &z);
  printf("free=%d: %.0f ns per record (write+read)\n", freeb, ((z.tv_sec - a.tv_sec) * 1e9 + (z.tv_nsec - a.tv_nsec)) / N);
}
