/*
 * A contract with one export per behaviour tests/contract checks: writes
 * then a trap, work that runs out of gas part way, reading its own writes,
 * writes in scrambled key order, a 100 MB value, a read past the input,
 * logs and binary output.  Built without libc (ward:io, ward:state only).
 */
#include "ward_guest.h"

static uint8_t buf[512];

#define SET(k, v) ward_state_set(k, sizeof k - 1, v, sizeof v - 1)
#define OUT(s) ward_io_output_write(s, sizeof s - 1)

__attribute__((export_name("write_then_trap"))) void write_then_trap(void)
{
    SET("kept?", "no");
    SET("also", "no");
    __builtin_trap();
}

/* Input: a count n (decimal); n rounds of a write and a read. */
__attribute__((export_name("work"))) int32_t work(void)
{
    uint32_t len = ward_io_input_len();
    if (len > 16)
        return 1;
    ward_io_input_read(buf, 0, len);
    uint32_t n = 0;
    for (uint32_t i = 0; i < len; i++)
        n = n * 10 + (uint32_t)(buf[i] - '0');
    uint8_t key[2] = {'w', 0}, value[4];
    for (uint32_t i = 0; i < n; i++) {
        key[1] = (uint8_t)('a' + i % 16);
        int32_t got = ward_state_get(key, 2, value, 4);
        uint32_t v = got == 4 ? (uint32_t)value[0] | (uint32_t)value[1] << 8 : 0;
        v += i;
        value[0] = (uint8_t)v, value[1] = (uint8_t)(v >> 8), value[2] = 0, value[3] = 0;
        ward_state_set(key, 2, value, 4);
    }
    return (int32_t)n;
}

/* Work, then a trap: state written, then thrown away. */
__attribute__((export_name("work_then_trap"))) void work_then_trap(void)
{
    work();
    __builtin_trap();
}

__attribute__((export_name("own_writes"))) int32_t own_writes(void)
{
    SET("k", "v1");
    SET("k", "v2");
    uint8_t v[8];
    int32_t n = ward_state_get("k", 1, v, sizeof v);
    if (n != 2 || v[0] != 'v' || v[1] != '2')
        return 1;
    if (ward_state_remove("k", 1) != 1 || ward_state_has("k", 1) != 0 || ward_state_get("k", 1, v, 8) != -1)
        return 2;
    SET("k", "v3");
    if (ward_state_has("k", 1) != 1)
        return 3;
    OUT("seen");
    return 0;
}

__attribute__((export_name("order"))) void order(void)
{
    SET("zeta", "1");
    SET("alpha", "2");
    SET("mid", "3");
    SET("al", "4");
    SET("alpha", "5");
    ward_state_remove("beta", 4);
}

__attribute__((export_name("remove_all"))) void remove_all(void)
{
    static const char *const keys[] = {"zeta", "alpha", "mid", "al", "beta"};
    for (int i = 0; i < 5; i++) {
        uint32_t n = 0;
        while (keys[i][n])
            n++;
        ward_state_remove(keys[i], n);
    }
}

/* A 100 MB value from memory grown for it. */
__attribute__((export_name("big_value"))) void big_value(void)
{
    SET("small", "first");
    uint32_t pages = (100u << 20) / 65536 + 1;
    uint32_t old = (uint32_t)__builtin_wasm_memory_grow(0, pages);
    if (old == (uint32_t)-1)
        __builtin_trap();
    ward_state_set("big", 3, (const void *)(uintptr_t)(old * 65536u), 100u << 20);
}

__attribute__((export_name("past_input"))) void past_input(void)
{
    uint32_t len = ward_io_input_len();
    ward_io_input_read(buf, 0, len + 1);
}

__attribute__((export_name("logs"))) void logs(void)
{
    ward_io_log("hello \"log\"\n", 12);
    static const uint8_t binary[] = {0xff, 0x00, 0x80, 0x41};
    ward_io_log(binary, sizeof binary);
    ward_io_output_write(binary, sizeof binary);
}

__attribute__((export_name("echo"))) void echo(void)
{
    uint32_t len = ward_io_input_len();
    if (len > sizeof buf)
        len = sizeof buf;
    ward_io_input_read(buf, 0, len);
    ward_io_output_write(buf, len);
}

__attribute__((export_name("takes_arg"))) int32_t takes_arg(int32_t x)
{
    return x;
}
