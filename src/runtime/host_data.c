/* Host modules' per-instance state (ward_instance_set_host_data): a short
 * list, as an instance links a handful of host modules at most. */
#include <stdlib.h>

#include "internal.h"

struct winstance_host_data {
    const void *key;
    void *data;
    void (*free_fn)(void *);
    struct winstance_host_data *next;
};

static struct winstance_host_data *find(const ward_instance *inst, const void *key)
{
    for (struct winstance_host_data *d = inst->host_data; d; d = d->next)
        if (d->key == key)
            return d;
    return NULL;
}

bool ward_instance_set_host_data(ward_instance *inst, const void *key, void *data, void (*free_fn)(void *))
{
    if (!inst || !key)
        return false;
    struct winstance_host_data *d = find(inst, key);
    if (d) {
        if (d->free_fn && d->data != data)
            d->free_fn(d->data);
    } else {
        d = calloc(1, sizeof *d);
        if (!d)
            return false;
        d->key = key;
        d->next = inst->host_data;
        inst->host_data = d;
    }
    d->data = data;
    d->free_fn = free_fn;
    return true;
}

void *ward_instance_host_data(const ward_instance *inst, const void *key)
{
    struct winstance_host_data *d = inst && key ? find(inst, key) : NULL;
    return d ? d->data : NULL;
}

void winstance_free_host_data(ward_instance *inst)
{
    struct winstance_host_data *d = inst->host_data;
    while (d) {
        struct winstance_host_data *next = d->next;
        if (d->free_fn)
            d->free_fn(d->data);
        free(d);
        d = next;
    }
    inst->host_data = NULL;
}
