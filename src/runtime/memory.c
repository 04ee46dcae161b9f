/*
 * Linear memory storage.  Each memory reserves address space for its
 * effective maximum up front (PROT_NONE, no commit charge) and makes pages
 * accessible as it grows, so:
 *   - the base never moves (shared memories need that; it also spares the
 *     interpreter reloads after growth, though it still does them);
 *   - a 65536-page (4 GiB) memory is cheap until touched;
 *   - pages past the current size fault instead of being silently writable,
 *     a second line of defence behind the interpreter's explicit bounds checks.
 * Anonymous mappings start zeroed and memories never shrink, so growth needs
 * no memset.  Works under ASan and valgrind (they intercept mmap).
 *
 * The spare: when a small unshared memory is freed, its engine keeps the
 * mapping, zeroed, for the next memory of the same reservation and size.
 * A program that makes an instance per call (contract calls,
 * docs/contracts.md) then pays a memset of the pages it used instead of an
 * mmap, the page faults of first touch and an munmap with its TLB
 * shootdown, which were most of the cost of a small call.  A spare is what
 * a fresh mapping would be: zero and accessible exactly up to its size.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE */

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../atomics/atomics.h"
#include "internal.h"

static uint64_t os_page_size(void)
{
    long n = sysconf(_SC_PAGESIZE);
    return n > 0 ? (uint64_t)n : 4096;
}

static uint64_t round_up(uint64_t n, uint64_t align)
{
    return (n + align - 1) / align * align;
}

/* Huge pages: the size of a transparent huge page on x86-64 and aarch64
 * (4 KiB base pages).  A guest that walks a few MiB of memory at random
 * (trees, hash tables, sorting) otherwise misses the TLB on most accesses:
 * bench/src/tree.c ran 0.57 s with 4 KiB pages and 0.46 s with huge pages
 * (CPU time, 5 interleaved runs each), faster than the same C native.
 * Memories smaller than one huge page gain nothing and are left alone, so
 * the many small instances of contract calls keep their small footprint. */
#define WHUGE_PAGE (2u << 20)

static void *map_none(uint64_t bytes)
{
    if (bytes > SIZE_MAX)
        return NULL;
    void *p = mmap(NULL, (size_t)bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

/* Reserve `bytes` starting on a huge-page boundary (the OS only backs an
 * aligned 2 MiB range with a huge page) and advise huge pages; the slack
 * around the aligned range is given back.  NULL on failure. */
static uint8_t *reserve_huge(uint64_t bytes)
{
    uint8_t *raw = map_none(bytes + WHUGE_PAGE);
    if (!raw)
        return NULL;
    uint8_t *start = (uint8_t *)(((uintptr_t)raw + WHUGE_PAGE - 1) & ~(uintptr_t)(WHUGE_PAGE - 1));
    size_t head = (size_t)(start - raw), tail = WHUGE_PAGE - head;
    if (head)
        munmap(raw, head);
    if (tail)
        munmap(start + bytes, tail);
#ifdef MADV_HUGEPAGE
    madvise(start, (size_t)bytes, MADV_HUGEPAGE); /* advice only: failure is harmless */
#endif
    return start;
}

/* Reserve `bytes` of inaccessible address space; NULL on failure. */
static uint8_t *reserve(uint64_t bytes, bool huge)
{
    if (huge && bytes >= WHUGE_PAGE && bytes <= SIZE_MAX - WHUGE_PAGE) {
        uint8_t *p = reserve_huge(bytes);
        if (p)
            return p;
    }
    return map_none(bytes);
}

/* Make [old_size, new_size) of m accessible. */
static bool commit(ward_memory *m, uint64_t old_size, uint64_t new_size)
{
    if (new_size <= old_size)
        return true;
    uint64_t page = os_page_size();
    uint64_t start = old_size / page * page;
    uint64_t end = round_up(new_size, page);
    if (end > m->reserved)
        return false;
    return mprotect(m->data + start, (size_t)(end - start), PROT_READ | PROT_WRITE) == 0;
}

/* Reserve the whole effective maximum; if the address space is tight, fall
 * back to just the minimum (growth past it then fails cleanly with -1). */
static bool reserve_for(ward_memory *m, uint64_t min_bytes)
{
    uint64_t page = os_page_size();
    uint64_t want = round_up(m->max_pages * WPAGE_SIZE, page);
    uint64_t least = round_up(min_bytes ? min_bytes : WPAGE_SIZE, page);
    if (want < least)
        want = least;
    bool huge = !m->engine || m->engine->config.huge_pages;
    m->data = reserve(want, huge);
    if (!m->data && want != least) {
        want = least;
        m->data = reserve(want, huge);
    }
    m->reserved = m->data ? want : 0;
    return m->data != NULL;
}

/* Memories up to this size are kept as the spare when freed (the memset
 * must stay cheaper than a new mapping). */
#define WSPARE_MAX_BYTES (1u << 20)

/* Give m the engine's spare when it has m's reservation and size. */
static bool take_spare(ward_engine *e, ward_memory *m, uint64_t size)
{
    uint64_t want = round_up(m->max_pages * WPAGE_SIZE, os_page_size());
    pthread_mutex_lock(&e->spare_lock);
    bool fits = e->spare_data && e->spare_reserved == want && e->spare_size == size;
    if (fits) {
        m->data = e->spare_data;
        m->reserved = want;
        e->spare_data = NULL;
    }
    pthread_mutex_unlock(&e->spare_lock);
    return fits;
}

/* Keep m's mapping, zeroed, as the engine's spare (replacing an older
 * one); false when m is not a candidate. */
static bool keep_spare(ward_memory *m)
{
    ward_engine *e = m->engine;
    if (m->sh || !e || !m->data || m->size > WSPARE_MAX_BYTES)
        return false;
    memset(m->data, 0, (size_t)m->size);
    pthread_mutex_lock(&e->spare_lock);
    uint8_t *old = e->spare_data;
    uint64_t old_reserved = e->spare_reserved;
    e->spare_data = m->data;
    e->spare_reserved = m->reserved;
    e->spare_size = m->size;
    pthread_mutex_unlock(&e->spare_lock);
    if (old)
        munmap(old, (size_t)old_reserved);
    return true;
}

void wmemory_spare_free(ward_engine *e)
{
    if (e->spare_data)
        munmap(e->spare_data, (size_t)e->spare_reserved);
    e->spare_data = NULL;
}

uint64_t wmemory_limit_pages(const ward_store *s)
{
    return s->engine->config.max_memory_bytes / WPAGE_SIZE;
}

/* A memory of engine e no store owns yet; limit_pages is the embedder's cap. */
static ward_memory *memory_alloc(ward_engine *e, const wmemtype *type, uint64_t limit_pages)
{
    const wlimits *lim = &type->limits;
    uint64_t cap = lim->is64 ? WMAX_PAGES64 : WMAX_PAGES32;
    uint64_t max = lim->has_max ? lim->max : cap;
    if (lim->min > max || max > cap || lim->min > limit_pages)
        return NULL;
    ward_memory *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->engine = e;
    /* growth stops at the embedder's limit; import matching still sees the
     * declared maximum */
    m->max_pages = max < limit_pages ? max : limit_pages;
    m->has_max = lim->has_max;
    m->declared_max_pages = lim->has_max ? lim->max : 0;
    m->shared = lim->shared;
    m->is64 = lim->is64;
    uint64_t min_bytes = lim->min * WPAGE_SIZE;
    if (!m->shared && take_spare(e, m, min_bytes)) {
        m->size = min_bytes;
        return m;
    }
    if ((m->shared && !(m->sh = wshared_new())) || !reserve_for(m, min_bytes) || !commit(m, 0, min_bytes)) {
        wmemory_destroy(m);
        return NULL;
    }
    m->size = min_bytes;
    return m;
}

ward_memory *wmemory_create(ward_store *s, const wmemtype *type)
{
    ward_memory *m = memory_alloc(s->engine, type, wmemory_limit_pages(s));
    if (!m)
        return NULL;
    m->store = m->shared ? NULL : s; /* shared: the engine's, outliving s */
    if (!wstore_own_memory(s, m)) {
        wmemory_destroy(m);
        return NULL;
    }
    return m;
}

/* Drops one reference: a shared memory may be held by several stores and
 * the embedder (docs/threads.md) and is freed with the last of them. */
void wmemory_destroy(ward_memory *m)
{
    if (!m || (m->sh && !wshared_release(m->sh)))
        return;
    if (m->data && !keep_spare(m))
        munmap(m->data, (size_t)m->reserved);
    wshared_free(m->sh);
    free(m);
}

static int64_t grow_locked(ward_memory *m, uint64_t delta_pages)
{
    uint64_t old_pages = m->size / WPAGE_SIZE;
    if (delta_pages > m->max_pages - old_pages)
        return -1;
    uint64_t new_size = (old_pages + delta_pages) * WPAGE_SIZE;
    if (!commit(m, m->size, new_size))
        return -1;
    /* release: a thread that reads the new size finds the pages accessible */
    __atomic_store_n(&m->size, new_size, __ATOMIC_RELEASE);
    return (int64_t)old_pages;
}

/* Growth of a shared memory is serialised by its lock; other threads read
 * the size without it (wmemory_size) while the base stays put. */
int64_t wmemory_grow(ward_memory *m, uint64_t delta_pages)
{
    if (!m->sh)
        return grow_locked(m, delta_pages);
    wshared_lock_growth(m->sh);
    int64_t old = grow_locked(m, delta_pages);
    wshared_unlock_growth(m->sh);
    return old;
}

bool wmemory_adopt(ward_store *s, ward_memory *m)
{
    if (!m->sh)
        return true;
    wshared_retain(m->sh);
    if (wstore_own_memory(s, m))
        return true;
    wshared_release(m->sh); /* the caller's reference remains */
    return false;
}

ward_memory *ward_memory_new_shared(ward_engine *engine, uint32_t min_pages, uint32_t max_pages)
{
    if (!engine || max_pages < min_pages)
        return NULL;
    wmemtype type = {.limits = {.min = min_pages, .max = max_pages, .has_max = true, .shared = true}};
    return memory_alloc(engine, &type, engine->config.max_memory_bytes / WPAGE_SIZE);
}

void ward_memory_release(ward_memory *m)
{
    wmemory_destroy(m);
}

ward_memory *ward_memory_new(ward_store *store, uint32_t min_pages, uint32_t max_pages, bool has_max)
{
    if (!store || (has_max && max_pages < min_pages))
        return NULL;
    wmemtype type = {.limits = {.min = min_pages, .max = max_pages, .has_max = has_max}};
    return wmemory_create(store, &type);
}

ward_memory *ward_memory_new_typed(ward_store *store, const ward_memorytype *type)
{
    if (!store || !type || type->shared || (type->has_max && type->max_pages < type->min_pages))
        return NULL;
    wmemtype t = {.limits = {.min = type->min_pages, .max = type->max_pages, .has_max = type->has_max,
                             .is64 = type->is64}};
    return wmemory_create(store, &t);
}

uint8_t *ward_memory_data(ward_memory *m)
{
    return m->data;
}

uint64_t ward_memory_size(const ward_memory *m)
{
    return wmemory_size(m);
}
