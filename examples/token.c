/*
 * A token contract for ward's contract calls (docs/contracts.md): balances
 * under keys "bal:NAME" as 8-byte little-endian numbers.
 *   mint      input "to,amount"          adds amount to to's balance
 *   transfer  input "from,to,amount"     reads both balances, checks, writes both
 *   balance   input "name"               outputs the balance in decimal
 * Each returns 0, or 1 with a reason in the output (bad input, funds).
 * Built without libc: it imports ward:io and ward:state only.
 */
#include "ward_guest.h"

#define NAME_MAX_LEN 64

static uint8_t input[256];
static uint32_t input_len;

static uint32_t text_len(const char *s)
{
    uint32_t n = 0;
    while (s[n])
        n++;
    return n;
}

static int32_t fail(const char *why)
{
    ward_io_output_write(why, text_len(why));
    return 1;
}

/* Field `index` of the comma-separated input. */
static int field(uint32_t index, const uint8_t **start, uint32_t *len)
{
    uint32_t at = 0;
    for (uint32_t i = 0; i < index; i++) {
        while (at < input_len && input[at] != ',')
            at++;
        if (at == input_len)
            return 0;
        at++;
    }
    uint32_t end = at;
    while (end < input_len && input[end] != ',')
        end++;
    *start = input + at;
    *len = end - at;
    return *len > 0 && *len <= NAME_MAX_LEN;
}

static int parse_amount(const uint8_t *p, uint32_t len, uint64_t *out)
{
    uint64_t v = 0;
    if (len == 0 || len > 19)
        return 0;
    for (uint32_t i = 0; i < len; i++) {
        if (p[i] < '0' || p[i] > '9')
            return 0;
        v = v * 10 + (uint64_t)(p[i] - '0');
    }
    *out = v;
    return 1;
}

/* "bal:" + name into key; its length. */
static uint32_t balance_key(uint8_t *key, const uint8_t *name, uint32_t len)
{
    key[0] = 'b', key[1] = 'a', key[2] = 'l', key[3] = ':';
    for (uint32_t i = 0; i < len; i++)
        key[4 + i] = name[i];
    return 4 + len;
}

static uint64_t get_balance(const uint8_t *name, uint32_t len)
{
    uint8_t key[4 + NAME_MAX_LEN], value[8];
    int32_t n = ward_state_get(key, balance_key(key, name, len), value, sizeof value);
    uint64_t v = 0;
    if (n == 8)
        for (int i = 7; i >= 0; i--)
            v = v << 8 | value[i];
    return v;
}

static void set_balance(const uint8_t *name, uint32_t len, uint64_t v)
{
    uint8_t key[4 + NAME_MAX_LEN], value[8];
    for (int i = 0; i < 8; i++)
        value[i] = (uint8_t)(v >> (8 * i));
    ward_state_set(key, balance_key(key, name, len), value, sizeof value);
}

static int read_input(void)
{
    input_len = ward_io_input_len();
    if (input_len > sizeof input)
        return 0;
    ward_io_input_read(input, 0, input_len);
    return 1;
}

__attribute__((export_name("mint"))) int32_t mint(void)
{
    const uint8_t *to, *amount;
    uint32_t tolen, amountlen;
    uint64_t v;
    if (!read_input() || !field(0, &to, &tolen) || !field(1, &amount, &amountlen) ||
        !parse_amount(amount, amountlen, &v))
        return fail("bad input: want to,amount");
    uint64_t b = get_balance(to, tolen);
    if (b + v < b)
        return fail("overflow");
    set_balance(to, tolen, b + v);
    return 0;
}

__attribute__((export_name("transfer"))) int32_t transfer(void)
{
    const uint8_t *from, *to, *amount;
    uint32_t fromlen, tolen, amountlen;
    uint64_t v;
    if (!read_input() || !field(0, &from, &fromlen) || !field(1, &to, &tolen) || !field(2, &amount, &amountlen) ||
        !parse_amount(amount, amountlen, &v))
        return fail("bad input: want from,to,amount");
    uint64_t a = get_balance(from, fromlen), b = get_balance(to, tolen);
    if (a < v)
        return fail("insufficient funds");
    int same = fromlen == tolen;
    for (uint32_t i = 0; same && i < fromlen; i++)
        same = from[i] == to[i];
    if (same)
        return 0;
    if (b + v < b)
        return fail("overflow");
    set_balance(from, fromlen, a - v);
    set_balance(to, tolen, b + v);
    return 0;
}

__attribute__((export_name("balance"))) int32_t balance(void)
{
    const uint8_t *name;
    uint32_t len;
    if (!read_input() || !field(0, &name, &len))
        return fail("bad input: want name");
    uint64_t v = get_balance(name, len);
    char text[24];
    int n = 0;
    do {
        text[sizeof text - 1 - n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    ward_io_output_write(text + sizeof text - n, (uint32_t)n);
    return 0;
}
