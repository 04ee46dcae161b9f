/* Extends from 8 threads at once on one registry: 8 x 10,000 extends,
 * four threads per register so they contend.  The event log must replay
 * to exactly the final registers (extends are linearizable and the log is
 * in their order), hold every extend once, and list each thread's events
 * in the order that thread made them.  Runs under ThreadSanitizer too
 * (scripts/test-all.sh). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../test.h"
#include "ward_measure.h"

#define THREADS 8
#define EXTENDS 10000

typedef struct worker {
    ward_measure *m;
    int id;
    int failures;
} worker;

static void *extend_many(void *arg)
{
    worker *w = arg;
    for (int i = 0; i < EXTENDS; i++) {
        char data[32], desc[16];
        int n = snprintf(data, sizeof data, "thread %d extend %d", w->id, i);
        int d = snprintf(desc, sizeof desc, "%d:%d", w->id, i);
        if (ward_measure_extend(w->m, (uint32_t)(w->id % 2) + 8, (const uint8_t *)data, (size_t)n, desc, (size_t)d) !=
            WARD_MEASURE_OK)
            w->failures++;
        if (i % 1000 == 0) { /* readers contend with the writers too */
            uint8_t r[32];
            if (ward_measure_read(w->m, (uint32_t)(w->id % 2) + 8, r) != WARD_MEASURE_OK)
                w->failures++;
        }
    }
    return NULL;
}

typedef struct order {
    int next[THREADS];   /* the sequence number each thread's next event must have */
    int bad;
    uint32_t events;
} order;

static void check_order(void *ctx, const ward_measure_event *ev)
{
    order *o = ctx;
    int id, seq;
    char desc[32];
    snprintf(desc, sizeof desc, "%.*s", (int)ev->desc_len, ev->desc);
    if (sscanf(desc, "%d:%d", &id, &seq) != 2 || id < 0 || id >= THREADS || seq != o->next[id] ||
        ev->reg != (uint32_t)(id % 2) + 8)
        o->bad++;
    else
        o->next[id]++;
    o->events++;
}

int main(void)
{
    ward_measure *m = ward_measure_new(0);
    CHECK(m != NULL);
    pthread_t threads[THREADS];
    worker workers[THREADS];
    for (int t = 0; t < THREADS; t++) {
        workers[t] = (worker){m, t, 0};
        CHECK(pthread_create(&threads[t], NULL, extend_many, &workers[t]) == 0);
    }
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
        CHECK(workers[t].failures == 0);
    }
    uint8_t *log = NULL;
    size_t len = 0;
    CHECK(ward_measure_export_log(m, &log, &len) == WARD_MEASURE_OK);
    uint8_t replayed[16][32], final[16][32];
    order o = {{0}, 0, 0};
    ward_measure_error err = {0};
    CHECK_MSG(ward_measure_log_replay(log, len, replayed, check_order, &o, &err) == WARD_MEASURE_OK, "%s",
              err.message);
    CHECK(ward_measure_read_all(m, final) == WARD_MEASURE_OK);
    CHECK(memcmp(replayed, final, sizeof final) == 0);
    CHECK(o.events == THREADS * EXTENDS);
    CHECK(o.bad == 0);
    for (int t = 0; t < THREADS; t++)
        CHECK(o.next[t] == EXTENDS);
    uint8_t zero[32] = {0};
    CHECK(memcmp(final[8], zero, 32) != 0 && memcmp(final[9], zero, 32) != 0 && memcmp(final[0], zero, 32) == 0);
    free(log);
    ward_measure_free(m);
    return test_summary("measure_stress");
}
