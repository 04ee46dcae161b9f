/*
 * How much C stack the calling thread has left, so that a host function
 * calling back into its store (ward_call inside a host function) is refused
 * with a clean trap instead of overflowing the C stack (exec_call.c).
 * Wasm calls never use the C stack; each host re-entry level does.
 */
#ifndef WARD_CSTACK_H
#define WARD_CSTACK_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Per store (in its struct wexec): the bounds of the last thread that ran
 * it, kept because finding them can be slow (glibc reads /proc/self/maps for
 * the main thread), and where its outermost call started. */
typedef struct wcstack {
    bool known;          /* bounds looked up for `thread` */
    bool looked_up;      /* ... during the current outermost call */
    pthread_t thread;
    uintptr_t low, high; /* the thread's stack [low, high); low 0 = unknown */
    uintptr_t entry;     /* frame address at the outermost call */
} wcstack;

/* At an outermost call from the host: note where the stack stands. */
void wcstack_enter(wcstack *cs);

/* Bytes of C stack left below the caller (stacks grow down on every target
 * ward supports): from the thread's bounds when the platform tells them,
 * else a fixed budget counted from the outermost call (WCSTACK_FALLBACK). */
size_t wcstack_left(wcstack *cs);

#define WCSTACK_FALLBACK ((size_t)1 << 20)

#endif
