/*
 * Numbers of the text format: integers with '_' separators, and floats
 * (decimal, hexadecimal, inf, nan, nan:0x payloads) rounded exactly to
 * nearest-even.  Decimal floats go through a small big-integer quotient so
 * no libc routine (and no locale) is involved and every digit counts.
 */
#include <stdlib.h>
#include <string.h>

#include "text_internal.h"
#include "../common/util.h"

/* A number token taken apart: digits without separators. */
typedef struct numparts {
    bool negative, has_sign, hex;
    bool has_dot, has_exp;
    char *digits;        /* integer then fraction digits, separators removed */
    size_t int_len, frac_len;
    long exp;            /* the written exponent, saturated to +-1e6 */
} numparts;

static int digit_value(char c, bool hex)
{
    int d = whex_digit(c);
    return hex || d < 10 ? d : -1;
}

/* digit (_? digit)*: appends the digits to out, returns the count, 0 when
 * there is none or a separator is misplaced. */
static size_t scan_digits(const char **p, const char *end, bool hex, char *out, size_t *n)
{
    const char *s = *p;
    size_t count = 0;
    while (s < end) {
        if (digit_value(*s, hex) >= 0) {
            out[(*n)++] = *s++;
            count++;
        } else if (*s == '_' && count > 0 && s + 1 < end && digit_value(s[1], hex) >= 0) {
            s++;
        } else {
            break;
        }
    }
    *p = s;
    return count;
}

static bool scan_exponent(const char **p, const char *end, long *exp)
{
    const char *s = *p;
    bool neg = false;
    if (s < end && (*s == '+' || *s == '-'))
        neg = *s++ == '-';
    char buf[64];
    long v = 0;
    size_t n = 0, count = 0;
    /* digits one at a time so any length saturates instead of overflowing */
    while (s < end) {
        n = 0;
        const char *before = s;
        if (*s == '_' && count > 0 && s + 1 < end && digit_value(s[1], false) >= 0)
            s++;
        if (s >= end || digit_value(*s, false) < 0) {
            s = before;
            break;
        }
        buf[n] = *s++;
        count++;
        if (v < 1000000)
            v = v * 10 + (buf[0] - '0');
    }
    if (count == 0)
        return false;
    *exp = neg ? -v : v;
    *p = s;
    return true;
}

/* Split tok into parts; false when it is not a number of the grammar. */
static bool split_number(const wtok *tok, numparts *np)
{
    memset(np, 0, sizeof *np);
    const char *p = tok->start, *end = tok->start + tok->len;
    if (tok->kind != WTOK_NUMBER)
        return false;
    np->digits = malloc(tok->len + 1);
    if (!np->digits)
        return false;
    if (*p == '+' || *p == '-') {
        np->has_sign = true;
        np->negative = *p++ == '-';
    }
    if (end - p > 2 && p[0] == '0' && p[1] == 'x') {
        np->hex = true;
        p += 2;
    }
    size_t n = 0;
    np->int_len = scan_digits(&p, end, np->hex, np->digits, &n);
    if (np->int_len == 0)
        return false;
    if (p < end && *p == '.') {
        p++;
        np->has_dot = true;
        np->frac_len = scan_digits(&p, end, np->hex, np->digits, &n);
        if (np->frac_len == 0 && p < end && *p == '_')
            return false;
    }
    if (p < end && (np->hex ? (*p == 'p' || *p == 'P') : (*p == 'e' || *p == 'E'))) {
        p++;
        np->has_exp = true;
        if (!scan_exponent(&p, end, &np->exp))
            return false;
    }
    np->digits[n] = 0;
    return p == end;
}

static bool bad_number(const wtok *tok, wtext_error *err, const char *what)
{
    return wtext_fail(err, tok, "%s '%.*s'", what, (int)(tok->len > 40 ? 40 : tok->len), tok->start);
}

/* The integer digits as a u64; false on overflow. */
static bool digits_u64(const numparts *np, uint64_t *out)
{
    uint64_t base = np->hex ? 16 : 10, v = 0;
    for (size_t i = 0; i < np->int_len; i++) {
        uint64_t d = (uint64_t)digit_value(np->digits[i], np->hex);
        if (v > (UINT64_MAX - d) / base)
            return false;
        v = v * base + d;
    }
    *out = v;
    return true;
}

/* An integer token: its magnitude and sign; *range false when > 2^64-1. */
static bool parse_integer(const wtok *tok, bool *negative, bool *has_sign, uint64_t *mag, bool *range)
{
    numparts np;
    bool ok = split_number(tok, &np) && !np.has_dot && !np.has_exp;
    *range = ok && digits_u64(&np, mag);
    *negative = np.negative;
    *has_sign = np.has_sign;
    free(np.digits);
    return ok;
}

static bool unsigned_int(const wtok *tok, uint64_t max, uint64_t *out, wtext_error *err)
{
    bool neg, sign, range;
    if (!parse_integer(tok, &neg, &sign, out, &range) || sign)
        return bad_number(tok, err, tok->kind == WTOK_NUMBER ? "malformed number"
                                                             : "expected a number, found");
    if (!range || *out > max)
        return bad_number(tok, err, "constant out of range");
    return true;
}

bool wtext_u32(const wtok *tok, uint32_t *out, wtext_error *err)
{
    uint64_t v = 0;
    if (!unsigned_int(tok, UINT32_MAX, &v, err))
        return false;
    *out = (uint32_t)v;
    return true;
}

bool wtext_u64(const wtok *tok, uint64_t *out, wtext_error *err)
{
    return unsigned_int(tok, UINT64_MAX, out, err);
}

bool wtext_number(const wtok *tok, unsigned bits, bool is_float, uint64_t *out, wtext_error *err)
{
    if (!is_float)
        return wtext_int(tok, bits, out, err);
    if (bits == 64)
        return wtext_f64(tok, out, err);
    uint32_t b32;
    if (!wtext_f32(tok, &b32, err))
        return false;
    *out = b32;
    return true;
}

const wtext_shape *wtext_shape_of(const wtok *tok)
{
    static const wtext_shape shapes[] = {
        {"i8x16", 16, 8, false}, {"i16x8", 8, 16, false}, {"i32x4", 4, 32, false},
        {"i64x2", 2, 64, false}, {"f32x4", 4, 32, true},  {"f64x2", 2, 64, true},
    };
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        if (wtok_is(tok, shapes[i].name))
            return &shapes[i];
    }
    return NULL;
}

bool wtext_int(const wtok *tok, unsigned bits, uint64_t *out, wtext_error *err)
{
    bool neg, sign, range;
    uint64_t mag;
    if (!parse_integer(tok, &neg, &sign, &mag, &range))
        return bad_number(tok, err, tok->kind == WTOK_NUMBER ? "malformed number"
                                                             : "expected a number, found");
    uint64_t umax = bits == 64 ? UINT64_MAX : ((uint64_t)1 << bits) - 1;
    uint64_t smax = ((uint64_t)1 << (bits - 1)) - 1;
    if (!range || mag > (!sign ? umax : neg ? smax + 1 : smax))
        return bad_number(tok, err, "constant out of range");
    *out = (neg ? (uint64_t)0 - mag : mag) & umax;
    return true;
}

bool wtext_i32(const wtok *tok, uint32_t *out, wtext_error *err)
{
    uint64_t v = 0;
    if (!wtext_int(tok, 32, &v, err))
        return false;
    *out = (uint32_t)v;
    return true;
}

bool wtext_i64(const wtok *tok, uint64_t *out, wtext_error *err)
{
    return wtext_int(tok, 64, out, err);
}

/* ---- floats ---- */

typedef struct floatfmt {
    int p;        /* significand bits, the hidden one included */
    int emin;     /* exponent of the smallest normal */
    int bias;
} floatfmt;

static const floatfmt F32 = {24, -126, 127};
static const floatfmt F64 = {53, -1022, 1023};

/* Round mant * 2^exp2 (plus a little more when sticky) to fmt: the bits
 * without sign, false when it rounds to infinity. */
static bool round_float(uint64_t mant, long exp2, bool sticky, const floatfmt *f, uint64_t *bits)
{
    if (mant == 0) {
        *bits = 0;
        return true;
    }
    while (!(mant >> 63)) {
        mant <<= 1;
        exp2--;
    }
    long top = exp2 + 63;
    long lsb = top - (f->p - 1);
    if (lsb < f->emin - (f->p - 1))
        lsb = f->emin - (f->p - 1);
    long sh = lsb - exp2;
    uint64_t kept, half, rest;
    if (sh >= 65) {
        kept = half = 0;
        rest = 1;
    } else if (sh == 64) {
        kept = 0;
        half = mant >> 63;
        rest = (mant << 1) != 0;
    } else {
        kept = mant >> sh;
        half = (mant >> (sh - 1)) & 1;
        rest = (mant & (((uint64_t)1 << (sh - 1)) - 1)) != 0;
    }
    if (half && (rest || sticky || (kept & 1)))
        kept++;
    if (kept == (uint64_t)1 << f->p) {
        kept >>= 1;
        lsb++;
    }
    if (kept >= (uint64_t)1 << (f->p - 1)) {
        long biased = lsb + (f->p - 1) + f->bias;
        if (biased >= 2 * f->bias + 1)
            return false;
        *bits = ((uint64_t)biased << (f->p - 1)) | (kept & (((uint64_t)1 << (f->p - 1)) - 1));
    } else {
        *bits = kept;
    }
    return true;
}

/* hexadecimal: the first 16 significant digits exactly, the rest sticky */
static bool hex_float(const numparts *np, const floatfmt *f, uint64_t *bits)
{
    uint64_t mant = 0;
    long exp2 = np->exp;
    bool sticky = false;
    size_t total = np->int_len + np->frac_len;
    for (size_t i = 0; i < total; i++) {
        uint64_t d = (uint64_t)digit_value(np->digits[i], true);
        bool is_frac = i >= np->int_len;
        if (mant >> 60) {
            sticky |= d != 0;
            if (!is_frac)
                exp2 += 4;
        } else {
            mant = mant * 16 + d;
            if (is_frac)
                exp2 -= 4;
        }
    }
    return round_float(mant, exp2, sticky, f, bits);
}

/* A small unsigned big integer: 32-bit limbs, least significant first. */
#define BIG_LIMBS 160   /* 5120 bits: 10^1150 << 64 fits */
typedef struct big {
    uint32_t limb[BIG_LIMBS];
    int n;
} big;

static void big_set(big *b, uint32_t v)
{
    b->n = v != 0;
    b->limb[0] = v;
}

static void big_mul_add(big *b, uint32_t m, uint32_t add)
{
    uint64_t carry = add;
    for (int i = 0; i < b->n; i++) {
        uint64_t t = (uint64_t)b->limb[i] * m + carry;
        b->limb[i] = (uint32_t)t;
        carry = t >> 32;
    }
    if (carry && b->n < BIG_LIMBS)
        b->limb[b->n++] = (uint32_t)carry;
}

static void big_pow10(big *b, long e)
{
    for (; e >= 9; e -= 9)
        big_mul_add(b, 1000000000u, 0);
    static const uint32_t small[9] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};
    big_mul_add(b, small[e], 0);
}

static int big_bits(const big *b)
{
    if (b->n == 0)
        return 0;
    uint32_t top = b->limb[b->n - 1];
    int bits = 0;
    while (top) {
        bits++;
        top >>= 1;
    }
    return (b->n - 1) * 32 + bits;
}

static void big_shl(big *b, int s)
{
    int words = s / 32, bits = s % 32;
    if (b->n == 0)
        return;
    int n = b->n + words + 1;
    if (n > BIG_LIMBS)
        n = BIG_LIMBS;
    for (int i = n - 1; i >= 0; i--) {
        int src = i - words;
        uint64_t hi = src >= 0 && src < b->n ? b->limb[src] : 0;
        uint64_t lo = src - 1 >= 0 && src - 1 < b->n ? b->limb[src - 1] : 0;
        b->limb[i] = bits ? (uint32_t)((hi << bits) | (lo >> (32 - bits))) : (uint32_t)hi;
    }
    b->n = n;
    while (b->n > 0 && b->limb[b->n - 1] == 0)
        b->n--;
}

static void big_shr1(big *b)
{
    for (int i = 0; i < b->n; i++)
        b->limb[i] = (b->limb[i] >> 1) | (i + 1 < b->n ? b->limb[i + 1] << 31 : 0);
    while (b->n > 0 && b->limb[b->n - 1] == 0)
        b->n--;
}

static int big_cmp(const big *a, const big *b)
{
    if (a->n != b->n)
        return a->n < b->n ? -1 : 1;
    for (int i = a->n - 1; i >= 0; i--)
        if (a->limb[i] != b->limb[i])
            return a->limb[i] < b->limb[i] ? -1 : 1;
    return 0;
}

static void big_sub(big *a, const big *b)
{
    int64_t borrow = 0;
    for (int i = 0; i < a->n; i++) {
        int64_t t = (int64_t)a->limb[i] - (i < b->n ? b->limb[i] : 0) - borrow;
        borrow = t < 0;
        a->limb[i] = (uint32_t)(t + (borrow ? ((int64_t)1 << 32) : 0));
    }
    while (a->n > 0 && a->limb[a->n - 1] == 0)
        a->n--;
}

/* More significant digits than this cannot change a double's rounding
 * (halfway cases need at most 767); the rest only say "a bit more". */
#define MAX_DIGITS 800

/* decimal: num / den exactly, to a 64-bit quotient and a sticky remainder */
static bool decimal_float(const numparts *np, const floatfmt *f, uint64_t *bits, bool *range)
{
    const char *d = np->digits;
    size_t total = np->int_len + np->frac_len, skip = 0;
    while (skip < total && d[skip] == '0')
        skip++;
    *range = true;
    if (skip == total) {
        *bits = 0;
        return true;
    }
    /* value = digits[skip..total) * 10^e10 */
    long e10 = np->exp - (long)np->frac_len;
    size_t nd = total - skip;
    bool dropped = false;
    if (nd > MAX_DIGITS) {
        for (size_t i = skip + MAX_DIGITS; i < total; i++)
            dropped |= d[i] != '0';
        e10 += (long)(nd - MAX_DIGITS);
        nd = MAX_DIGITS;
    }
    long magnitude = (long)nd + e10;   /* value < 10^magnitude */
    if (magnitude > 310) {
        *range = false;
        return false;
    }
    if (magnitude < -330) {
        *bits = 0;
        return true;
    }
    big *a = malloc(sizeof(big) * 2);
    if (!a)
        return false;
    big *n = &a[0], *q = &a[1];
    big_set(n, 0);
    for (size_t i = 0; i < nd; i++)
        big_mul_add(n, 10, (uint32_t)(d[skip + i] - '0'));
    if (dropped) {
        big_mul_add(n, 10, 1);
        e10--;
    }
    big_set(q, 1);
    if (e10 >= 0)
        big_pow10(n, e10);
    else
        big_pow10(q, -e10);
    /* n / q in [2^(b-1), 2^(b+1)); scale to a quotient in [2^62, 2^64) */
    long s = 63 - (big_bits(n) - big_bits(q));
    if (s > 0)
        big_shl(n, (int)s);
    else if (s < 0)
        big_shl(q, (int)-s);
    big_shl(q, 63);
    uint64_t quot = 0;
    for (int i = 63; i >= 0; i--) {
        if (big_cmp(n, q) >= 0) {
            big_sub(n, q);
            quot |= (uint64_t)1 << i;
        }
        big_shr1(q);
    }
    bool sticky = n->n != 0;
    free(a);
    if (!round_float(quot, -s, sticky, f, bits)) {
        *range = false;
        return false;
    }
    return true;
}

/* inf, nan, nan:0xPAYLOAD after an optional sign; *handled false when the
 * token is none of these. */
static bool special_float(const wtok *tok, const floatfmt *f, uint64_t *bits, bool *handled,
                          wtext_error *err)
{
    const char *p = tok->start, *end = tok->start + tok->len;
    bool neg = false;
    *handled = false;
    if (p < end && (*p == '+' || *p == '-'))
        neg = *p++ == '-';
    size_t rest = (size_t)(end - p);
    uint64_t frac_mask = ((uint64_t)1 << (f->p - 1)) - 1;
    uint64_t exp_all = (uint64_t)(2 * f->bias + 1) << (f->p - 1);
    uint64_t sign = neg ? (uint64_t)1 << (f->p == 24 ? 31 : 63) : 0;
    if (rest == 3 && memcmp(p, "inf", 3) == 0) {
        *bits = sign | exp_all;
    } else if (rest == 3 && memcmp(p, "nan", 3) == 0) {
        *bits = sign | exp_all | ((uint64_t)1 << (f->p - 2));
    } else if (rest > 6 && memcmp(p, "nan:0x", 6) == 0) {
        /* the payload: a hexnum, 1 .. the fraction's mask */
        wtok payload = {WTOK_NUMBER, p + 4, rest - 4, tok->line, tok->column};
        uint64_t v;
        *handled = true;
        wtext_error ignored;
        if (!wtext_u64(&payload, &v, &ignored))
            return bad_number(tok, err, "malformed number");
        if (v == 0 || v > frac_mask)
            return bad_number(tok, err, "constant out of range");
        *bits = sign | exp_all | v;
    } else {
        return true;
    }
    *handled = true;
    return true;
}

static bool parse_float(const wtok *tok, const floatfmt *f, uint64_t *bits, wtext_error *err)
{
    bool handled;
    if (tok->kind != WTOK_NUMBER && tok->kind != WTOK_KEYWORD)
        return bad_number(tok, err, "expected a number, found");
    if (!special_float(tok, f, bits, &handled, err))
        return false;
    if (handled)
        return true;
    numparts np;
    bool ok = split_number(tok, &np), range = true;
    if (ok)
        ok = np.hex ? (range = hex_float(&np, f, bits)) : decimal_float(&np, f, bits, &range);
    bool negative = np.negative;
    free(np.digits);
    if (!range)
        return bad_number(tok, err, "constant out of range");
    if (!ok)
        return bad_number(tok, err, "malformed number");
    if (negative)
        *bits |= (uint64_t)1 << (f->p == 24 ? 31 : 63);
    return true;
}

bool wtext_f32(const wtok *tok, uint32_t *bits, wtext_error *err)
{
    uint64_t b = 0;
    if (!parse_float(tok, &F32, &b, err))
        return false;
    *bits = (uint32_t)b;
    return true;
}

bool wtext_f64(const wtok *tok, uint64_t *bits, wtext_error *err)
{
    return parse_float(tok, &F64, bits, err);
}
