#!/usr/bin/env bash
# Builds wolfSSL from Debian's source package into a cache outside the repository and prints
# the absolute path of libwolfssl.so as the last line of stdout (everything else goes to stderr).
#
# Usage: scripts/wolfssl.sh                 build if needed, print the library's path
#        scripts/wolfssl.sh --print-path    print the path if built, else exit 1; builds nothing
#        scripts/wolfssl.sh --examples-dir  print the directory holding client/client and
#                                           server/server if built, else exit 1; builds nothing
#
# Version: wolfSSL 5.9.2, the orig tarball of Debian sid's wolfssl 5.9.2-1.2, pinned by SHA-256.
# Why not trixie's 5.7.2: 5.7.2 does not export wolfSSL_dtls_cid_parse, which the provider needs
# to read the connection ID of a DTLS 1.3 record (unified header) before any session exists, so
# the listener can route by CID; 5.9.2 exports it. 5.9.2 is also two years of DTLS 1.3 fixes
# newer (its ChangeLog: a pre-authentication heap overflow in ACK handling, among others; its
# tls13.c: servers up to 5.9.0 echo a DTLS 1.3 client's legacy_session_id, which RFC 9147
# section 5.3 forbids), and builds warning-clean with gcc 12 (5.7.2 needs -Wno-error).
# The cost: sid moves on, so once sid
# drops 5.9.2 the download fails with a clear message (a cached tarball keeps working); forky is
# searched too in case 5.9.2 migrates there. Debian's mirror answers 404 for sid's .dsc and
# .debian.tar.xz of 5.9.2-1.2 while the .orig tarball comes: only the .orig tarball is used (the
# Debian patches are not applied, so dpkg-source is not needed), and apt-get's error about the
# missing files is reported but not fatal once the tarball matches the pinned hash.
#
# How the source is fetched: apt-get source --download-only, with a private apt configuration
# under the cache (its own deb-src list, lists, cache and lock; the machine's update hooks
# cleared), so the machine's apt sources and state are untouched. The deb-src list reuses the URI
# of the machine's own Debian source (the entry for this release's codename in
# /etc/apt/sources.list or /etc/apt/sources.list.d/*.{list,sources}); DTLS4J_DEBIAN_MIRROR
# overrides it.
#
# Where it goes: ${DTLS4J_CACHE:-$HOME/.cache/dtls4j}/wolfssl-<version>-<hash of version, tarball
# hash and cmake flags>/{src,build}; the stamp file .complete is written last, and a directory
# without it is rebuilt. A change of version or flags gives a new directory. The whole run holds
# an flock on <cache>/wolfssl.lock, so two concurrent runs build once.
#
# Needs: apt-get, cmake, gcc (with libc headers), make, tar, gzip, sha256sum, flock. As root it
# installs what is missing with apt-get; otherwise it names what is missing and exits 2.
# Environment: DTLS4J_CACHE, DTLS4J_DEBIAN_MIRROR, DTLS4J_BUILD_JOBS (default and maximum 2:
# other builds share this machine).
set -euo pipefail

readonly WOLFSSL_VERSION=5.9.2
readonly WOLFSSL_ORIG=wolfssl_${WOLFSSL_VERSION}.orig.tar.gz
readonly WOLFSSL_ORIG_SHA256=2f4ef3d4fd387a9b3191d36a6316d69116c46ff69bb9583b6c82b36d7b8ca114
readonly DEBIAN_SUITES="sid forky"
readonly CMAKE_FLAGS=(
    -DCMAKE_BUILD_TYPE=Release
    -DBUILD_SHARED_LIBS=ON
    -DWOLFSSL_DTLS=yes
    -DWOLFSSL_DTLS13=yes
    -DWOLFSSL_DTLS_CID=yes
    -DWOLFSSL_DTLS_CH_FRAG=yes
    -DWOLFSSL_PSK=yes
    -DWOLFSSL_SRTP=yes
    -DWOLFSSL_KEYING_MATERIAL=yes
    -DWOLFSSL_SESSION_TICKET=yes
    -DWOLFSSL_ALPN=yes
    -DWOLFSSL_SNI=yes
    -DWOLFSSL_EXAMPLES=yes
    -DWOLFSSL_CRYPT_TESTS=no
    # Plain C defines, for what wolfSSL's cmake has no option for (configure has):
    # - WOLFSSL_DTLS_MTU (--enable-dtls-mtu): wolfSSL_dtls_set_mtu exists only with it; without
    #   it the provider cannot set the MTU.
    # - HAVE_SERVER_RENEGOTIATION_INFO (--enable-secure-renegotiation-info, on by default in
    #   configure, absent from cmake): RFC 5746 renegotiation *indication*. A server answers a
    #   client's renegotiation_info or TLS_EMPTY_RENEGOTIATION_INFO_SCSV with an empty
    #   renegotiation_info, and a client can offer and check one. Without it OpenSSL 3 clients
    #   abort ("unsafe legacy renegotiation disabled") and BouncyCastle sends handshake_failure.
    # - WOLFSSL_SECURE_RENEGOTIATION_ON_BY_DEFAULT: makes every client offer the empty
    #   renegotiation_info extension (InitSSL calls wolfSSL_UseSecureRenegotiation), so servers
    #   that insist on RFC 5746 (BouncyCastle) accept wolfSSL's ClientHello. Despite its name it
    #   enables no renegotiation here: that code exists only with HAVE_SECURE_RENEGOTIATION.
    #   (HAVE_RENEGOTIATION_INDICATION, the SCSV, does not work with the above: the client then
    #   rejects the server's answer with -388, and configure refuses the combination.)
    # - WOLFSSL_STATIC_PSK: the plain PSK suites (TLS_PSK_WITH_*, RFC 4279/5487), which the api
    #   names beside the ECDHE_PSK ones; wolfSSL builds only (EC)DHE-PSK suites without it.
    #   They have no forward secrecy, which is why wolfSSL hides them: dtls4j offers them only
    #   to a configuration that names them or sets a pre-shared key.
    # Only the indication is built. HAVE_SECURE_RENEGOTIATION (actual renegotiation) stays off,
    # on purpose: renegotiation in DTLS is a security risk (renegotiation attacks; a peer can
    # force expensive handshakes mid-connection) and nothing in dtls4j uses it.
    # - DTLS13_MIN_RTX_INTERVAL=10 (milliseconds; src/dtls13.c, #ifndef-guarded): DTLS 1.3
    #   resends a flight at most once per this interval, 1000 ms by default, so a
    #   wolfSSL_dtls_got_timeout sooner than a second after the last resend sent nothing and
    #   our RetransmissionTimer (initial interval, doubling, cap) could not drive the schedule.
    #   10 ms keeps a floor against resend storms (a burst of duplicated records) while any
    #   schedule of 10 ms or more is ours.
    "-DCMAKE_C_FLAGS=-DWOLFSSL_DTLS_MTU -DHAVE_SERVER_RENEGOTIATION_INFO -DWOLFSSL_SECURE_RENEGOTIATION_ON_BY_DEFAULT -DDTLS13_MIN_RTX_INTERVAL=10 -DWOLFSSL_STATIC_PSK"
)
readonly LOCK_WAIT_SECONDS=1800

log() { printf 'wolfssl.sh: %s\n' "$*" >&2; }
fail() { log "error: $1"; exit "${2:-1}"; }

usage() {
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

mode=build
case "${1:-}" in
    "") ;;
    --print-path) mode=print-path ;;
    --examples-dir) mode=examples-dir ;;
    -h|--help) usage ;;
    *) log "unknown option: $1"; usage ;;
esac
[[ $# -le 1 ]] || usage

cache_root=${DTLS4J_CACHE:-${HOME:?HOME is not set}/.cache/dtls4j}
flags_hash=$(printf '%s\n' "$WOLFSSL_VERSION" "$WOLFSSL_ORIG_SHA256" "${CMAKE_FLAGS[@]}" \
    | sha256sum | cut -c1-12)
build_root=$cache_root/wolfssl-$WOLFSSL_VERSION-$flags_hash
library=$build_root/build/libwolfssl.so
examples=$build_root/build/examples
stamp=$build_root/.complete

is_built() { [[ -f $stamp && -e $library && -x $examples/client/client && -x $examples/server/server ]]; }

case $mode in
    print-path)
        is_built || { log "wolfSSL $WOLFSSL_VERSION is not built in $build_root: run scripts/wolfssl.sh"; exit 1; }
        printf '%s\n' "$library"; exit 0 ;;
    examples-dir)
        is_built || { log "wolfSSL $WOLFSSL_VERSION is not built in $build_root: run scripts/wolfssl.sh"; exit 1; }
        log "run the examples from $build_root/src: they read certs/ relative to the working directory"
        printf '%s\n' "$examples"; exit 0 ;;
esac

# --- tools -------------------------------------------------------------------------------------

require_tools() {
    local missing=() tool
    declare -A package=([cmake]=cmake [gcc]=gcc [make]=make [tar]=tar [gzip]=gzip
        [sha256sum]=coreutils [flock]=util-linux)
    command -v apt-get >/dev/null || fail "apt-get is missing: this script needs a Debian-like system" 2
    for tool in cmake gcc make tar gzip sha256sum flock; do
        command -v "$tool" >/dev/null || missing+=("${package[$tool]}")
    done
    [[ -f /usr/include/stdio.h ]] || missing+=(libc6-dev)
    [[ ${#missing[@]} -eq 0 ]] && return 0
    if [[ $(id -u) -ne 0 ]]; then
        fail "missing packages: ${missing[*]} (install them: sudo apt-get install ${missing[*]})" 2
    fi
    log "installing missing packages: ${missing[*]}"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2; then
        apt-get update >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2 \
            || fail "could not install: ${missing[*]}" 2
    fi
}

# --- the machine's Debian mirror ---------------------------------------------------------------

# Prints the first URI of an enabled binary source for this release's codename.
debian_mirror() {
    if [[ -n ${DTLS4J_DEBIAN_MIRROR:-} ]]; then
        printf '%s\n' "${DTLS4J_DEBIAN_MIRROR%/}"; return 0
    fi
    local codename f
    codename=$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")
    [[ -n $codename ]] || return 1
    {
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [[ -f $f ]] || continue
        # one-line format: deb [options] uri suite components...
        awk -v want="$codename" '
            $1 == "deb" {
                i = 2
                if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
                if ($(i + 1) == want) { print $i; exit }
            }' "$f"
    done
    for f in /etc/apt/sources.list.d/*.sources; do
        [[ -f $f ]] || continue
        # deb822 format: paragraphs separated by blank lines; "#" lines are comments
        awk -v want="$codename" '
            function flush() {
                if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " want " ") && enabled != "no" && uri != "")
                    { print uri; found = 1 }
                types = suites = uri = enabled = ""
            }
            /^#/ { next }
            /^[ \t]*$/ { flush(); if (found) exit; next }
            { key = tolower($1); sub(/:$/, "", key); $1 = ""; sub(/^ +/, "") }
            key == "types" { types = $0 }
            key == "suites" { suites = $0 }
            key == "uris" { split($0, u, " "); uri = u[1] }
            key == "enabled" { enabled = tolower($0) }
            END { if (!found) flush() }' "$f"
    done
    } | head -n1 | sed 's:/*$::' | grep .
}

# --- the source tarball ------------------------------------------------------------------------

sha_ok() { [[ -f $1 ]] && [[ $(sha256sum "$1" | cut -d' ' -f1) == "$WOLFSSL_ORIG_SHA256" ]]; }

fetch_source() {
    local downloads=$cache_root/downloads apt=$cache_root/apt mirror keyring suite versions v tmp
    mkdir -p "$downloads"
    if sha_ok "$downloads/$WOLFSSL_ORIG"; then
        log "source: $downloads/$WOLFSSL_ORIG (cached, SHA-256 matches)"; return 0
    fi
    mirror=$(debian_mirror) || fail "no Debian source for this release found in /etc/apt/sources.list{,.d}; set DTLS4J_DEBIAN_MIRROR to a Debian mirror URI"
    log "source: apt-get source --download-only wolfssl ($WOLFSSL_VERSION) from $mirror, suites: $DEBIAN_SUITES"

    mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/sources.list.d"
    keyring=/usr/share/keyrings/debian-archive-keyring.gpg
    : >"$apt/sources.list"
    for suite in $DEBIAN_SUITES; do
        if [[ -f $keyring ]]; then
            printf 'deb-src [signed-by=%s] %s %s main\n' "$keyring" "$mirror" "$suite"
        else
            printf 'deb-src %s %s main\n' "$mirror" "$suite"
        fi >>"$apt/sources.list"
    done
    {
        # the machine's hooks (PackageKit, AppStream) must not run for this private update
        printf '#clear APT::Update::Pre-Invoke;\n#clear APT::Update::Post-Invoke;\n'
        printf '#clear APT::Update::Post-Invoke-Success;\n'
        printf 'Dir::Etc::SourceList "%s";\n' "$apt/sources.list"
        printf 'Dir::Etc::SourceParts "%s";\n' "$apt/sources.list.d"
        printf 'Dir::State::Lists "%s";\n' "$apt/lists"
        printf 'Dir::Cache "%s";\n' "$apt/cache"
        printf 'Acquire::Languages "none";\n'
        # as root apt would drop to _apt, which cannot write into a private cache under $HOME
        [[ $(id -u) -ne 0 ]] || printf 'APT::Sandbox::User "root";\n'
    } >"$apt/apt.conf"
    local apt_opts=(-c "$apt/apt.conf")

    timeout 600 apt-get "${apt_opts[@]}" -q update >&2 || fail "apt-get update (private lists in $apt) failed"
    versions=$(apt-cache "${apt_opts[@]}" showsrc wolfssl 2>/dev/null \
        | awk -v up="$WOLFSSL_VERSION" '$1 == "Version:" && index($2, up "-") == 1 { print $2 }' | sort -u)
    [[ -n $versions ]] || fail "no wolfssl $WOLFSSL_VERSION-* source in $mirror ($DEBIAN_SUITES): Debian has moved on; pin a new version and its SHA-256 in $0"

    tmp=$(mktemp -d "$downloads/partial.XXXXXX")
    for v in $versions; do
        log "apt-get source --download-only wolfssl=$v"
        if ! (cd "$tmp" && timeout 900 apt-get "${apt_opts[@]}" -q source --download-only "wolfssl=$v" >&2); then
            log "apt-get source reported errors (for 5.9.2-1.2 the mirror lacks the .dsc and .debian.tar.xz); only the .orig tarball is needed"
        fi
        if sha_ok "$tmp/$WOLFSSL_ORIG"; then
            mv -f "$tmp/$WOLFSSL_ORIG" "$downloads/$WOLFSSL_ORIG"
            rm -rf "$tmp"
            log "source: $downloads/$WOLFSSL_ORIG (SHA-256 matches the pin)"
            return 0
        fi
        [[ ! -f $tmp/$WOLFSSL_ORIG ]] || log "$WOLFSSL_ORIG from wolfssl=$v does not match the pinned SHA-256 $WOLFSSL_ORIG_SHA256"
    done
    rm -rf "$tmp"
    fail "could not get $WOLFSSL_ORIG with SHA-256 $WOLFSSL_ORIG_SHA256"
}

# --- the build ---------------------------------------------------------------------------------

build() {
    local jobs=${DTLS4J_BUILD_JOBS:-2} start seconds
    [[ $jobs =~ ^[12]$ ]] || jobs=2
    rm -rf "$build_root"
    mkdir -p "$build_root/src"
    tar -xzf "$cache_root/downloads/$WOLFSSL_ORIG" -C "$build_root/src" --strip-components=1
    log "building wolfSSL $WOLFSSL_VERSION in $build_root (cmake, -j$jobs; log: $build_root/build.log)"
    start=$(date +%s)
    if ! { cmake -S "$build_root/src" -B "$build_root/build" "${CMAKE_FLAGS[@]}" \
            && cmake --build "$build_root/build" -j "$jobs"; } >"$build_root/build.log" 2>&1; then
        tail -n 40 "$build_root/build.log" >&2
        fail "the build failed; full log: $build_root/build.log"
    fi
    seconds=$(( $(date +%s) - start ))
    [[ -e $library && -x $examples/client/client && -x $examples/server/server ]] \
        || fail "the build finished without $library or the examples; log: $build_root/build.log"
    {
        printf 'version=%s\norig_sha256=%s\nbuild_seconds=%s\nbuilt_at=%s\n' \
            "$WOLFSSL_VERSION" "$WOLFSSL_ORIG_SHA256" "$seconds" "$(date -u +%FT%TZ)"
        printf 'flag=%s\n' "${CMAKE_FLAGS[@]}"
    } >"$stamp.tmp"
    mv -f "$stamp.tmp" "$stamp"
    log "built in ${seconds}s"
}

is_built || require_tools
mkdir -p "$cache_root"
exec 9>"$cache_root/wolfssl.lock"
if ! flock -n 9; then
    log "another run holds $cache_root/wolfssl.lock; waiting up to ${LOCK_WAIT_SECONDS}s"
    flock -w "$LOCK_WAIT_SECONDS" 9 || fail "timed out waiting for $cache_root/wolfssl.lock"
fi

if is_built; then
    log "wolfSSL $WOLFSSL_VERSION already built in $build_root"
else
    fetch_source
    build
fi
printf '%s\n' "$library"
