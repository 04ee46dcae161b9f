/*
 * ward:io, the contract's input, output and logs (docs/contracts.md,
 * "Guest ABI"; include/ward_guest_contract.h).  One call's environment
 * (wcontract_run) is the functions' env; every call is priced and charged
 * before any work, and every misuse traps with a message naming it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contract/contract_internal.h"
#include "guest.h"
#include "ward_guest_contract.h"

typedef enum wio_id { WIO_INPUT_LEN, WIO_INPUT_READ, WIO_OUTPUT_WRITE, WIO_LOG, WIO_COUNT } wio_id;

/* {base, per byte, per unit}: memory copies, priced like a few
 * instructions plus one per byte copied. */
static const wguest_price wio_prices[WIO_COUNT] = {
    [WIO_INPUT_LEN] = {10, 0, 0},
    [WIO_INPUT_READ] = {20, 1, 0},
    [WIO_OUTPUT_WRITE] = {20, 1, 0},
    [WIO_LOG] = {50, 1, 0},
};

ward_result wcontract_refuse(ward_trap *trap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    trap->kind = WARD_TRAP_HOST;
    vsnprintf(trap->message, sizeof trap->message, fmt, ap);
    va_end(ap);
    return WARD_TRAP;
}

static ward_result wio_input_len(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                                 ward_trap *trap)
{
    wcontract_run *run = env;
    (void)args;
    if (!wguest_charge(caller, &wio_prices[WIO_INPUT_LEN], 0, 0, trap))
        return WARD_TRAP;
    return wguest_ret(results, (int32_t)run->input_len);
}

static ward_result wio_input_read(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                                  ward_trap *trap)
{
    wcontract_run *run = env;
    uint32_t dst = wguest_u32(args, 0), offset = wguest_u32(args, 1), len = wguest_u32(args, 2);
    if (!wguest_charge(caller, &wio_prices[WIO_INPUT_READ], len, 0, trap))
        return WARD_TRAP;
    if ((uint64_t)offset + len > run->input_len)
        return wcontract_refuse(trap, "ward:io input_read: bytes [%u, %llu) are past the input of %zu bytes", offset,
                                (unsigned long long)offset + len, run->input_len);
    uint8_t *out = wguest_span(caller, dst, len, trap);
    if (!out)
        return WARD_TRAP;
    if (len)
        memcpy(out, run->input + offset, len);
    return wguest_ret(results, (int32_t)len);
}

static ward_result wio_output_write(void *env, ward_caller *caller, const ward_val *args, ward_val *results,
                                    ward_trap *trap)
{
    wcontract_run *run = env;
    uint32_t len = wguest_u32(args, 1);
    if (!wguest_charge(caller, &wio_prices[WIO_OUTPUT_WRITE], len, 0, trap))
        return WARD_TRAP;
    if (run->output.len + len > WARD_IO_OUTPUT_MAX)
        return wcontract_refuse(trap, "ward:io output_write: output of %llu bytes would pass the limit of %u",
                                (unsigned long long)run->output.len + len, WARD_IO_OUTPUT_MAX);
    const uint8_t *src = wguest_span(caller, wguest_u32(args, 0), len, trap);
    if (!src)
        return WARD_TRAP;
    wbuf_put(&run->output, src, len);
    if (run->output.failed)
        return wcontract_refuse(trap, "ward:io output_write: out of host memory");
    return wguest_ret(results, 0);
}

static ward_result wio_log(void *env, ward_caller *caller, const ward_val *args, ward_val *results, ward_trap *trap)
{
    wcontract_run *run = env;
    uint32_t len = wguest_u32(args, 1);
    if (!wguest_charge(caller, &wio_prices[WIO_LOG], len, 0, trap))
        return WARD_TRAP;
    if (run->nlogs >= WARD_IO_LOG_COUNT_MAX || run->log_bytes + len > WARD_IO_LOG_BYTES_MAX)
        return wcontract_refuse(trap, "ward:io log: over the limits of %d lines and %u bytes per call",
                                WARD_IO_LOG_COUNT_MAX, WARD_IO_LOG_BYTES_MAX);
    const uint8_t *src = wguest_span(caller, wguest_u32(args, 0), len, trap);
    if (!src)
        return WARD_TRAP;
    wcontract_log *grown = realloc(run->logs, (run->nlogs + 1) * sizeof *grown);
    uint8_t *copy = malloc(len ? len : 1);
    if (grown)
        run->logs = grown;
    if (!grown || !copy) {
        free(copy);
        return wcontract_refuse(trap, "ward:io log: out of host memory");
    }
    if (len)
        memcpy(copy, src, len);
    run->logs[run->nlogs++] = (wcontract_log){copy, len};
    run->log_bytes += len;
    return wguest_ret(results, 0);
}

static const wguest_import wio_imports[WIO_COUNT] = {
    [WIO_INPUT_LEN] = {"input_len", ":i", wio_input_len},
    [WIO_INPUT_READ] = {"input_read", "iii:i", wio_input_read},
    [WIO_OUTPUT_WRITE] = {"output_write", "ii:i", wio_output_write},
    [WIO_LOG] = {"log", "ii:i", wio_log},
};

ward_result wguest_io_define(ward_linker *linker, ward_store *store, wcontract_run *run)
{
    return wguest_define(linker, store, WARD_IO_MODULE, wio_imports, WIO_COUNT, run);
}
