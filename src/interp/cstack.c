/*
 * The calling thread's C stack bounds (see cstack.h).  The frame address is
 * taken with __builtin_frame_address where available: under ASan with
 * use-after-return detection, the address of a local may lie in a fake
 * stack on the heap, but the frame is always on the real stack.
 */
#if defined(__linux__)
#define _GNU_SOURCE /* pthread_getattr_np (glibc, musl, bionic) */
#endif

#include "cstack.h"

static uintptr_t frame_address(void)
{
#if defined(__GNUC__)
    return (uintptr_t)__builtin_frame_address(0);
#else
    volatile char here = 0;
    return (uintptr_t)&here;
#endif
}

/* The calling thread's stack as [*low, *high); false when unknown. */
static bool thread_bounds(uintptr_t *low, uintptr_t *high)
{
#if defined(__linux__)
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) != 0)
        return false;
    void *addr = NULL;
    size_t size = 0;
    bool ok = pthread_attr_getstack(&attr, &addr, &size) == 0 && addr && size;
    pthread_attr_destroy(&attr);
    *low = (uintptr_t)addr;
    *high = (uintptr_t)addr + size;
    return ok;
#elif defined(__APPLE__)
    pthread_t self = pthread_self();
    *high = (uintptr_t)pthread_get_stackaddr_np(self);
    *low = *high - pthread_get_stacksize_np(self);
    return *low < *high;
#else
    (void)low;
    (void)high;
    return false;
#endif
}

void wcstack_enter(wcstack *cs)
{
    cs->entry = frame_address();
    cs->looked_up = false;
}

/* Bounds for the calling thread.  A thread's id is its descriptor, which
 * glibc and musl keep at the top of its stack, so cached bounds stay right
 * while the id is the same and the frame lies inside them; otherwise look
 * them up again, at most once per outermost call (a frame outside every
 * bound, on an embedder's coroutine stack, would otherwise cost a lookup
 * per re-entry). */
static void refresh(wcstack *cs, uintptr_t here)
{
    pthread_t self = pthread_self();
    bool inside = here >= cs->low && here < cs->high;
    if (cs->known && pthread_equal(cs->thread, self) && (cs->looked_up || !cs->low || inside))
        return;
    cs->known = cs->looked_up = true;
    cs->thread = self;
    if (!thread_bounds(&cs->low, &cs->high))
        cs->low = cs->high = 0;
}

size_t wcstack_left(wcstack *cs)
{
    uintptr_t here = frame_address();
    refresh(cs, here);
    if (cs->low && here >= cs->low && here < cs->high)
        return (size_t)(here - cs->low);
    /* unknown bounds, or a stack of the embedder's own (a coroutine) */
    size_t used = cs->entry > here ? (size_t)(cs->entry - here) : 0;
    return used < WCSTACK_FALLBACK ? WCSTACK_FALLBACK - used : 0;
}
