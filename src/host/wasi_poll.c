/* WASI preview 1: poll_oneoff over clock, fd_read and fd_write subscriptions.
 *
 * subscription (48 bytes): userdata u64, tag u8 at 8, then at 16 either
 * clock {id u32, timeout u64 at 24, precision u64 at 32, flags u16 at 40}
 * or fd_readwrite {fd u32}.  event (32 bytes): userdata u64, error u16 at 8,
 * type u8 at 10, fd_readwrite {nbytes u64 at 16, flags u16 at 24}.
 *
 * wasi_unstable's subscription is 56 bytes: its clock begins with an
 * `identifier` u64 at 16, so id, timeout, precision and flags sit 8 bytes
 * later; fd_readwrite and the event are the same. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../common/util.h"
#include "wasi.h"

enum { EV_CLOCK = 0, EV_FD_READ = 1, EV_FD_WRITE = 2 };
enum { SUBCLOCK_ABSTIME = 1, EVENT_HANGUP = 1 };

/* Enough for any real program; bounds the host allocation. */
#define WASI_MAX_SUBSCRIPTIONS 4096u

/* Where a subscription's parts are, in each ABI. */
typedef struct poll_layout {
    uint32_t size;            /* of one subscription */
    uint32_t clock;           /* offset of the clock's id */
} poll_layout;

static const poll_layout poll_layouts[WASI_NABIS] = {{48, 16}, {56, 24}};

typedef struct poll_sub {
    uint64_t userdata;
    uint8_t type;
    uint16_t error;           /* known before waiting: EBADF, EINVAL, ... */
    uint64_t wait_ns;         /* clocks: from now */
    int pfd;                  /* fds: index into the pollfd array, or -1 */
} poll_sub;

static const clockid_t poll_clocks[] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID,
                                        CLOCK_THREAD_CPUTIME_ID};

static uint64_t now_ns(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* raw: the clock's id, then timeout at 8, precision at 16, flags at 24. */
static void parse_clock(const ward_wasi *w, const uint8_t *raw, poll_sub *s)
{
    uint32_t id = wasi_get_u32(raw);
    uint64_t timeout = wasi_get_u64(raw + 8);
    if (id >= sizeof poll_clocks / sizeof poll_clocks[0]) {
        s->error = WASI_EINVAL;
        return;
    }
    if (wasi_get_u32(raw + 24) & SUBCLOCK_ABSTIME) {
        uint64_t now = w->deterministic ? w->virtual_ns : now_ns(poll_clocks[id]);
        s->wait_ns = timeout > now ? timeout - now : 0;
    } else {
        s->wait_ns = timeout;
    }
}

static void parse_fd(ward_wasi *w, const uint8_t *raw, poll_sub *s, struct pollfd *pfds, nfds_t *n)
{
    int err;
    wasi_fd *f = wasi_fd_get(w, wasi_get_u32(raw + 16), WASI_RIGHT(WASI_R_POLL_FD_READWRITE), &err);
    if (!f) {
        s->error = (uint16_t)err;
        return;
    }
    s->pfd = (int)*n;
    pfds[*n].fd = f->host;
    pfds[*n].events = s->type == EV_FD_READ ? POLLIN : POLLOUT;
    pfds[*n].revents = 0;
    (*n)++;
}

/* Bytes ready to read (sockets, pipes: FIONREAD; files: what is left). */
static uint64_t readable_bytes(int fd)
{
    int avail = 0;
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        off_t pos = lseek(fd, 0, SEEK_CUR);
        return pos >= 0 && st.st_size > pos ? (uint64_t)(st.st_size - pos) : 0;
    }
    return ioctl(fd, FIONREAD, &avail) == 0 && avail > 0 ? (uint64_t)avail : 0;
}

static void put_event(uint8_t *out, const poll_sub *s, uint16_t error, uint64_t nbytes, uint16_t flags)
{
    memset(out, 0, 32);
    wasi_put_u64(out, s->userdata);
    wasi_put_u16(out + 8, error);
    out[10] = s->type;
    wasi_put_u64(out + 16, nbytes);
    wasi_put_u16(out + 24, flags);
}

/* Fill events for everything ready after `elapsed` ns; returns the count. */
static uint32_t collect(const poll_sub *subs, uint32_t n, const struct pollfd *pfds, uint64_t elapsed,
                        uint8_t *out)
{
    uint32_t count = 0;
    for (uint32_t i = 0; i < n; i++) {
        const poll_sub *s = &subs[i];
        uint8_t *ev = out + 32 * (size_t)count;
        if (s->error) {
            put_event(ev, s, s->error, 0, 0);
        } else if (s->type == EV_CLOCK) {
            if (s->wait_ns > elapsed)
                continue;
            put_event(ev, s, 0, 0, 0);
        } else {
            short re = pfds[s->pfd].revents;
            if (!re)
                continue;
            uint16_t flags = re & POLLHUP ? EVENT_HANGUP : 0;
            uint16_t error = re & POLLNVAL ? WASI_EBADF : 0;
            uint64_t nbytes = s->type == EV_FD_READ ? readable_bytes(pfds[s->pfd].fd) : 0;
            put_event(ev, s, error, nbytes, flags);
        }
        count++;
    }
    return count;
}

/* How long ward_caller_poll may wait: wait ns (UINT64_MAX: no clock, so
 * no limit), nothing at all when something is ready already or a clock
 * only advances the virtual time (deterministic mode). */
static int64_t poll_timeout(const ward_wasi *w, uint64_t wait, bool ready_now)
{
    if (ready_now || (w->deterministic && wait != UINT64_MAX))
        return 0;
    return wait > INT64_MAX ? -1 : (int64_t)wait;
}

static int poll_subs(ward_wasi *w, const poll_layout *layout, const uint8_t *in, uint32_t n, poll_sub *subs,
                     struct pollfd *pfds, uint8_t *out, uint32_t *nevents, const wasi_waiter *wt)
{
    nfds_t npfds = 0;
    uint64_t wait = UINT64_MAX;
    bool ready_now = false;
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *raw = in + layout->size * (size_t)i;
        poll_sub *s = &subs[i];
        s->userdata = wasi_get_u64(raw);
        s->type = raw[8];
        s->pfd = -1;
        if (s->type == EV_CLOCK)
            parse_clock(w, raw + layout->clock, s);
        else if (s->type == EV_FD_READ || s->type == EV_FD_WRITE)
            parse_fd(w, raw, s, pfds, &npfds);
        else
            return WASI_EINVAL;
        if (s->error)
            ready_now = true;
        else if (s->type == EV_CLOCK && s->wait_ns < wait)
            wait = s->wait_ns;
    }
    uint64_t start = now_ns(CLOCK_MONOTONIC);
    wasi_blocking_begin(w);
    /* an interrupt or the store's deadline ends the wait: a trap */
    int r = ward_caller_poll(wt->caller, pfds, npfds, poll_timeout(w, wait, ready_now), wt->trap);
    int saved = errno;
    wasi_blocking_end(w);
    if (r < 0)
        return saved == ECANCELED ? WASI_TRAP_STOP : wasi_errno(saved);
    uint64_t elapsed = now_ns(CLOCK_MONOTONIC) - start;
    /* ppoll may wake a hair early in another clock's terms: a timeout that
     * ended the wait with nothing else ready fires its clock. */
    if (r == 0 && !ready_now && wait != UINT64_MAX && elapsed < wait)
        elapsed = wait;
    if (w->deterministic) {
        elapsed = r == 0 && !ready_now && wait != UINT64_MAX ? wait : 0;
        w->virtual_ns += elapsed;
    }
    *nevents = collect(subs, n, pfds, elapsed, out);
    return WASI_ESUCCESS;
}

static int poll_oneoff(ward_wasi *w, wasi_abi abi, ward_memory *mem, const ward_val *a, const wasi_waiter *wt)
{
    const poll_layout *layout = &poll_layouts[abi];
    uint32_t n = a[2].of.i32;
    if (n == 0)
        return WASI_EINVAL;
    if (n > WASI_MAX_SUBSCRIPTIONS)
        return WASI_ENOTSUP;
    const uint8_t *in = wasi_span(mem, a[0].of.i32, (uint64_t)n * layout->size);
    uint8_t *out = wasi_span(mem, a[1].of.i32, (uint64_t)n * 32);
    if (!in || !out || !wasi_span(mem, a[3].of.i32, 4))
        return WASI_EFAULT;
    poll_sub *subs = wcalloc(n, sizeof *subs);
    struct pollfd *pfds = wcalloc(n, sizeof *pfds);
    uint32_t nevents = 0;
    int err = subs && pfds ? poll_subs(w, layout, in, n, subs, pfds, out, &nevents, wt) : WASI_ENOMEM;
    free(subs);
    free(pfds);
    if (err == WASI_ESUCCESS)
        wasi_store_u32(mem, a[3].of.i32, nevents);
    return err;
}

int wasi_poll_oneoff(ward_wasi *w, ward_memory *mem, const ward_val *a, const wasi_waiter *wt)
{
    return poll_oneoff(w, WASI_ABI_PREVIEW1, mem, a, wt);
}

int wasi_poll_oneoff_unstable(ward_wasi *w, ward_memory *mem, const ward_val *a, const wasi_waiter *wt)
{
    return poll_oneoff(w, WASI_ABI_UNSTABLE, mem, a, wt);
}
