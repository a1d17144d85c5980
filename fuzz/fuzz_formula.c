/* fuzz_formula.c - libFuzzer target for the formula language. The first byte picks the unit
 * wanted, the rest is the text, compiled with a resolver that knows a few names of every
 * unit. Whatever fails must say why (a message, and a place for syntax and unit errors);
 * whatever compiles must have the unit wanted, evaluate on edge and ordinary values,
 * give exactly the same values and errors over columns as row by row, and explain itself
 * the same whether the buffer is large or small. Any disagreement aborts. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/money.h"
#include "plan/formula.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct {
    const char *name;
    at_unit unit;
} NAMES[] = {
    {"a", AT_UNIT_MONEY},    {"b", AT_UNIT_MONEY},  {"r", AT_UNIT_NUMBER},
    {"n", AT_UNIT_COUNT},    {"m", AT_UNIT_COUNT},  {"f", AT_UNIT_BOOL},
    {"x.y", AT_UNIT_NUMBER}, {"q.z", AT_UNIT_MONEY},
};
#define NAME_COUNT (sizeof NAMES / sizeof NAMES[0])
#define SLOT_OF(i) ((int)(i) * 31) /* spread out, up to 217 */
#define SLOTS 256
#define ROWS 300                  /* more than one block of rows */

static at_code resolve(void *ctx, at_str name, at_unit *unit, int *slot, at_error *err)
{
    (void)ctx;
    for (size_t i = 0; i < NAME_COUNT; i++) {
        if (at_str_eq_cstr(name, NAMES[i].name)) {
            *unit = NAMES[i].unit;
            *slot = SLOT_OF(i);
            return AT_OK;
        }
    }
    return at_fail(err, AT_ERR_NOT_FOUND, NULL, "a, b, r, n, m, f, x.y, q.z", "unknown name");
}

static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static int64_t value(at_unit unit, uint64_t *s)
{
    static const int64_t edges[] = {0,         1,         -1,        INT64_MAX, INT64_MIN,
                                    10000,     -10000,    1000000000, 500000000, 2,
                                    INT64_MAX / 2, 99999};
    uint64_t r = next(s);
    if (unit == AT_UNIT_BOOL)
        return (int64_t)(r & 1);
    switch (r % 4) {
    case 0: return edges[(r >> 8) % (sizeof edges / sizeof edges[0])];
    case 1: return (int64_t)next(s);
    default: return (int64_t)(next(s) % 2000000001) - 1000000000;
    }
}

static bool same_error(const at_error *a, const at_error *b)
{
    return a->code == b->code && strcmp(a->where, b->where) == 0 &&
           strcmp(a->message, b->message) == 0 && strcmp(a->hint, b->hint) == 0;
}

static void check(const at_formula *f, uint64_t seed)
{
    static int64_t data[SLOTS][ROWS];
    static int64_t out[ROWS];
    const int64_t *columns[SLOTS] = {0};
    for (size_t i = 0; i < NAME_COUNT; i++) {
        columns[SLOT_OF(i)] = data[SLOT_OF(i)];
        for (size_t r = 0; r < ROWS; r++)
            data[SLOT_OF(i)][r] = value(NAMES[i].unit, &seed);
    }
    size_t failed = 0;
    at_error cerr;
    at_code crc = at_formula_eval_columns(f, columns, ROWS, out, &failed, &cerr);
    if (crc != AT_OK && (failed >= ROWS || cerr.message[0] == '\0'))
        abort();
    size_t last = crc == AT_OK ? ROWS : failed + 1;
    int64_t slots[SLOTS] = {0};
    for (size_t r = 0; r < last; r++) {
        for (size_t i = 0; i < NAME_COUNT; i++)
            slots[SLOT_OF(i)] = data[SLOT_OF(i)][r];
        int64_t v = 0;
        at_error err;
        at_code rc = at_formula_eval(f, slots, &v, &err);
        bool failing_row = crc != AT_OK && r == failed;
        if (!failing_row && (rc != AT_OK || v != out[r]))
            abort();
        if (failing_row && (rc != crc || !same_error(&err, &cerr)))
            abort();
        if (rc != AT_OK && (err.where[0] == '\0' || err.message[0] == '\0'))
            abort();
        if (at_formula_unit(f) == AT_UNIT_BOOL && rc == AT_OK && v != 0 && v != 1)
            abort();
        if (r < 3) { /* explanations: the same text, cut or not */
            char big[16384], small[24];
            size_t n = at_formula_explain(f, slots, big, sizeof big);
            size_t k = at_formula_explain(f, slots, small, sizeof small);
            if (n != k || n >= sizeof big || strlen(big) != n ||
                strncmp(big, small, sizeof small - 1) != 0 ||
                strlen(small) != (n < sizeof small ? n : sizeof small - 1))
                abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    static const at_unit wants[] = {AT_UNIT_ANY, AT_UNIT_MONEY, AT_UNIT_NUMBER, AT_UNIT_COUNT,
                                    AT_UNIT_BOOL};
    at_unit want = wants[data[0] % 5];
    const char *text = (const char *)data + 1;
    size_t length = size - 1;
    at_arena arena;
    at_arena_init(&arena, 0);
    at_formula *f = NULL;
    at_error err;
    at_formula_origin origin = {"fuzz.yaml", 3, 9};
    at_code rc =
        at_formula_compile(text, length, origin, resolve, NULL, want, &arena, &f, &err);
    if (rc != AT_OK) {
        if (f != NULL || err.code != rc || err.message[0] == '\0')
            abort();
        if ((rc == AT_ERR_INVALID || rc == AT_ERR_NOT_FOUND) &&
            strncmp(err.where, "fuzz.yaml:", 10) != 0)
            abort();
    } else {
        at_unit u = at_formula_unit(f);
        if (want != AT_UNIT_ANY && u != want)
            abort();
        if (strlen(at_formula_text(f)) != length || memcmp(at_formula_text(f), text, length) != 0)
            abort(); /* a NUL is refused, so the text is all there */
        int prev = -1;
        for (size_t i = 0; i < at_formula_slot_count(f); i++) {
            int s = at_formula_slot_at(f, i);
            if (s <= prev || s % 31 != 0)
                abort();
            prev = s;
        }
        uint64_t seed = 0x9E3779B97F4A7C15u;
        for (size_t i = 0; i < size; i++)
            seed = (seed ^ data[i]) * 0x100000001B3u;
        check(f, seed | 1);
    }
    at_arena_free(&arena);
    return 0;
}
