/* fuzz_field.c - libFuzzer target for cell conversion: the first byte picks a field of any
 * entity (so every type is reached: dates, times, money, rates, periods, coords, enums ...), the
 * rest is the cell's text. A cell that parses must format back to text that parses to the same
 * value. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "model/entity.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    size_t total = 0;
    for (size_t e = 0; e < at_entity_count; e++)
        total += at_entities[e]->field_count;
    size_t pick = ((size_t)data[0] << 8 | data[1]) % total;
    const at_field *field = NULL;
    for (size_t e = 0; e < at_entity_count && !field; e++) {
        if (pick < at_entities[e]->field_count)
            field = &at_entities[e]->fields[pick];
        else
            pick -= at_entities[e]->field_count;
    }
    at_arena arena;
    at_arena_init(&arena, 4096);
    at_value v, again;
    at_error err;
    at_str text = at_str_make((const char *)data + 2, size - 2);
    if (at_field_parse(field, text, &arena, &v, &err) == AT_OK && v.present) {
        char buf[4096];
        at_str out;
        if (at_field_format(field, &v, buf, sizeof buf, &out, &err) != AT_OK)
            abort();
        if (at_field_parse(field, out, &arena, &again, &err) != AT_OK)
            abort();
        if (again.present != v.present || again.number != v.number ||
            !at_str_eq(again.text, v.text))
            abort();
    }
    at_arena_free(&arena);
    return 0;
}
