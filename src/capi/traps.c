/*
 * Traps and frames.  A trap is a counted object (capi.h): its message and
 * its trace, copied out of ward's trap record when a call traps.  A trap a
 * host callback returned comes back from the call it ended as the same
 * object (host info included), with the wasm frames it passed through.
 */
#include <stdlib.h>
#include <string.h>

#include "capi.h"

wasm_trap_t *capi_trap_new(wasm_store_t *s, const char *message, size_t len)
{
    wasm_trap_t *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->counted.base = (capi_object){CAPI_TRAP, s, NULL, NULL, NULL};
    atomic_init(&t->counted.refs, 1);
    bool terminated = len > 0 && message[len - 1] == '\0';
    wasm_byte_vec_new_uninitialized(&t->message, len + !terminated);
    if (t->message.size != len + !terminated) {
        free(t);
        return NULL;
    }
    if (len)
        memcpy(t->message.data, message, len);
    t->message.data[t->message.size - 1] = '\0';
    wasm_frame_vec_new_empty(&t->trace);
    return t;
}

void capi_trap_free(wasm_trap_t *t)
{
    wasm_byte_vec_delete(&t->message);
    wasm_frame_vec_delete(&t->trace);
    free(t);
}

wasm_trap_t *wasm_trap_new(wasm_store_t *s, const wasm_message_t *message)
{
    if (!message)
        return capi_trap_new(s, "", 0);
    return capi_trap_new(s, message->data, message->size);
}

static wasm_frame_t *frame_new(const wasm_frame_t *f)
{
    wasm_frame_t *copy = malloc(sizeof *copy);
    if (copy)
        *copy = *f;
    return copy;
}

/* ward's backtrace as the trap's trace (left empty when out of memory). */
static void set_trace(wasm_store_t *s, wasm_trap_t *t, const ward_trap *wt)
{
    wasm_frame_vec_delete(&t->trace);
    wasm_frame_vec_new_uninitialized(&t->trace, wt->nframes);
    for (size_t i = 0; i < t->trace.size; i++) {
        const ward_frame_info *fi = &wt->backtrace[i];
        wasm_frame_t f = {(wasm_instance_t *)capi_wrap(s, CAPI_INSTANCE, fi->instance), fi->func_index,
                          fi->func_offset, fi->offset};
        if (!(t->trace.data[i] = frame_new(&f))) {
            wasm_frame_vec_delete(&t->trace);
            return;
        }
    }
}

wasm_trap_t *capi_trap_from_ward(wasm_store_t *s, const ward_trap *wt)
{
    wasm_trap_t *t = NULL;
    if (wt->kind == WARD_TRAP_HOST && s->pending_trap)
        t = s->pending_trap;
    else if (s->pending_trap)
        wasm_trap_delete(s->pending_trap);
    s->pending_trap = NULL;
    if (!t)
        t = capi_trap_new(s, wt->message, strlen(wt->message));
    if (t && t->trace.size == 0)
        set_trace(s, t, wt);
    return t;
}

void wasm_trap_message(const wasm_trap_t *t, wasm_message_t *out)
{
    wasm_byte_vec_copy(out, &t->message);
}

wasm_frame_t *wasm_trap_origin(const wasm_trap_t *t)
{
    return t->trace.size ? frame_new(t->trace.data[0]) : NULL;
}

void wasm_trap_trace(const wasm_trap_t *t, wasm_frame_vec_t *out)
{
    wasm_frame_vec_copy(out, &t->trace);
}

/* ---- frames ------------------------------------------------------------ */

void wasm_frame_delete(wasm_frame_t *f)
{
    free(f);
}

wasm_frame_t *wasm_frame_copy(const wasm_frame_t *f)
{
    return frame_new(f);
}

wasm_instance_t *wasm_frame_instance(const wasm_frame_t *f)
{
    return f->instance;
}

uint32_t wasm_frame_func_index(const wasm_frame_t *f)
{
    return f->func_index;
}

size_t wasm_frame_func_offset(const wasm_frame_t *f)
{
    return f->func_offset;
}

size_t wasm_frame_module_offset(const wasm_frame_t *f)
{
    return f->module_offset;
}
