/*
 * How much a DTLS server SSL of OpenSSL 3.0 keeps allocated after its handshake, and by which
 * allocation site (docs/PERFORMANCE.md, "Memory per idle session"). Counts through
 * CRYPTO_set_mem_functions; prints the allocations of the last server SSL still live.
 *
 *   openssl ecparam -name prime256v1 -genkey -noout -out key.pem
 *   openssl req -new -x509 -key key.pem -out cert.pem -days 2 -subj /CN=localhost
 *   gcc -O1 -o openssl_dtls_memory openssl_dtls_memory.c -lssl -lcrypto
 *   ./openssl_dtls_memory N RELEASE_BUFFERS(0|1) SESSION_CACHE(0|1) [x: also one record]
 */
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static long inuse = 0;
#define T 200000
static void *tp[T]; static size_t ts[T]; static const char *tf[T]; static int tl[T]; static int nt = 0; static int tracking = 0;
static void *mm(size_t n, const char *f, int l) { size_t *p = malloc(n + 16); if (!p) return 0; p[0] = n; inuse += n; void *q = (char*)p + 16; if (tracking && nt < T) { tp[nt] = q; ts[nt] = n; tf[nt] = f; tl[nt] = l; nt++; } return q; }
static void *rm(void *q, size_t n, const char *f, int l) { if (!q) return mm(n, f, l); for (int i = 0; tracking && i < nt; i++) if (tp[i] == q) { tp[i] = 0; } size_t *p = (size_t*)((char*)q - 16); inuse -= p[0]; p = realloc(p, n + 16); p[0] = n; inuse += n; void *r = (char*)p + 16; if (tracking && nt < T) { tp[nt] = r; ts[nt] = n; tf[nt] = f; tl[nt] = l; nt++; } return r; }
static void fm(void *q, const char *f, int l) { if (!q) return; for (int i = 0; tracking && i < nt; i++) if (tp[i] == q) tp[i] = 0; size_t *p = (size_t*)((char*)q - 16); inuse -= p[0]; free(p); }
static int gen(SSL *s, unsigned char *c, unsigned int *l) { memset(c, 1, 16); *l = 16; return 1; }
static int ver(SSL *s, const unsigned char *c, unsigned int l) { return 1; }
static void pump(SSL *from, BIO *fw, BIO *tr) { char buf[20000]; int n; while ((n = BIO_read(fw, buf, sizeof buf)) > 0) BIO_write(tr, buf, n); }
int main(int argc, char **argv) {
  CRYPTO_set_mem_functions(mm, rm, fm);
  int N = atoi(argv[1]); int release = atoi(argv[2]); int cache = atoi(argv[3]);
  SSL_CTX *sc = SSL_CTX_new(DTLS_server_method()), *cc = SSL_CTX_new(DTLS_client_method());
  SSL_CTX_use_certificate_file(sc, "cert.pem", SSL_FILETYPE_PEM); SSL_CTX_use_PrivateKey_file(sc, "key.pem", SSL_FILETYPE_PEM);
  SSL_CTX_set_options(sc, SSL_OP_NO_QUERY_MTU | SSL_OP_NO_TICKET); SSL_CTX_set_options(cc, SSL_OP_NO_QUERY_MTU | SSL_OP_NO_TICKET);
  SSL_CTX_set_cookie_generate_cb(sc, gen); SSL_CTX_set_cookie_verify_cb(sc, ver);
  SSL_CTX_set_session_cache_mode(sc, cache ? SSL_SESS_CACHE_SERVER : SSL_SESS_CACHE_OFF);
  SSL_CTX_set_session_cache_mode(cc, SSL_SESS_CACHE_OFF);
  if (release) { SSL_CTX_set_mode(sc, SSL_MODE_RELEASE_BUFFERS); }
  SSL_CTX_set_cipher_list(sc, "ECDHE-ECDSA-AES128-GCM-SHA256");
  long base = inuse; SSL **keep = calloc(N, sizeof(SSL*));
  for (int i = 0; i < N; i++) {
    if (i == N - 1) tracking = 1;
    SSL *s = SSL_new(sc), *c = SSL_new(cc);
    BIO *sr = BIO_new(BIO_s_mem()), *sw = BIO_new(BIO_s_mem()), *cr = BIO_new(BIO_s_mem()), *cw = BIO_new(BIO_s_mem());
    BIO_set_mem_eof_return(sr, -1); BIO_set_mem_eof_return(cr, -1);
    SSL_set_bio(s, sr, sw); SSL_set_bio(c, cr, cw); SSL_set_mtu(s, 1400); SSL_set_mtu(c, 1400);
    SSL_set_accept_state(s); SSL_set_connect_state(c); SSL_set_verify(c, SSL_VERIFY_NONE, 0);
    for (int k = 0; k < 50 && !(SSL_is_init_finished(s) && SSL_is_init_finished(c)); k++) {
      SSL_do_handshake(c); pump(c, cw, sr); SSL_do_handshake(s); pump(s, sw, cr);
    }
    if (!SSL_is_init_finished(s)) { fprintf(stderr, "no handshake %d\n", i); ERR_print_errors_fp(stderr); return 1; }
    if (argc > 4) { char b[100]; SSL_write(c, "hello", 5); pump(c, cw, sr); SSL_read(s, b, sizeof b); }
    if (release) SSL_free_buffers(s);
    SSL_free(c); keep[i] = s;
  }
  tracking = 0; for (int i = 0; i < nt; i++) if (tp[i] && ts[i] >= 256) printf("  live %6zu %s:%d\n", ts[i], tf[i], tl[i]);
  long small = 0; for (int i = 0; i < nt; i++) if (tp[i] && ts[i] < 256) small += ts[i]; printf("  small allocations total %ld\n", small);
  printf("N=%d release=%d cache=%d: %.1f KiB per server SSL\n", N, release, cache, (inuse - base) / 1024.0 / N);
  return 0;
}
