# Sourced by example.sh and test-all.sh: install the Debian/Ubuntu packages
# a step needs, but only those whose tool is missing (fast local runs).

# How to tell each package is present without asking dpkg (tools may come
# from elsewhere, e.g. meson from pip).
package_present() {
    case "$1" in
    meson) command -v meson ;;
    ninja-build) command -v ninja ;;
    gcc) command -v gcc ;;
    clang) command -v clang ;;
    lld) command -v ld.lld ;;
    pkg-config) command -v pkg-config ;;
    libcjson-dev) pkg-config --exists libcjson ;;
    libsodium-dev) pkg-config --exists libsodium ;;
    libsqlite3-dev) pkg-config --exists sqlite3 ;;
    sqlite3) command -v sqlite3 ;; # the tool: tests/dag edits database files with it
    python3-nacl) /usr/bin/python3 -c 'import nacl.signing' ;; # Debian's python, not a pyenv one
    wabt) command -v wat2wasm && command -v wast2json ;;
    binaryen) command -v wasm-opt ;;
    python3) command -v python3 ;;
    wasi-libc) [ -f /usr/include/wasm32-wasi/stdio.h ] || [ -f /usr/share/wasi-sysroot/include/stdio.h ] ;;
    *) dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed' ;;
    esac
} >/dev/null 2>&1

# ensure_packages PKG...: apt-get install the missing ones (sudo unless root).
ensure_packages() {
    local missing=() pkg
    for pkg in "$@"; do
        package_present "$pkg" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "installing: ${missing[*]}"
    if ! command -v apt-get >/dev/null; then
        echo "error: no apt-get here; please install: ${missing[*]}" >&2
        return 1
    fi
    local sudo=()
    [ "$(id -u)" -ne 0 ] && sudo=(sudo)
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
}

# The project needs meson >= 0.63 (older distributions ship 0.61).
check_meson_version() {
    local version
    version=$(meson --version 2>/dev/null) || return 1
    if printf '0.63\n%s\n' "$version" | sort -V -C; then
        return 0
    fi
    echo "error: meson $version is too old (ward needs >= 0.63): pip3 install --user meson" >&2
    return 1
}
