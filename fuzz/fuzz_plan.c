/* fuzz_plan.c - libFuzzer target for the plan reader: any input either reads into a plan or
 * is refused with at least one problem, each with a place and a message; a plan that reads
 * writes a canonical form that reads again into the same canonical form. Anything else
 * aborts. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plan/plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *canonical(const at_plan *plan, size_t *len)
{
    char *text = NULL;
    at_error err;
    if (at_plan_write_canonical(plan, &text, len, &err) != AT_OK)
        abort();
    return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    at_arena arena;
    at_arena_init(&arena, 0);
    at_error_list problems;
    at_error_list_init(&problems, 0);
    at_plan *plan = NULL;
    at_error err;
    at_code code = at_plan_read((const char *)data, size, "fuzz.yaml", &arena, &plan, &problems,
                                &err);
    if (code == AT_OK) {
        if (!plan || problems.total != 0)
            abort();
        size_t l1 = 0, l2 = 0;
        char *c1 = canonical(plan, &l1);
        at_plan *again = NULL;
        at_error_list_free(&problems);
        at_error_list_init(&problems, 0);
        if (at_plan_read(c1, l1, "canonical.yaml", &arena, &again, &problems, &err) != AT_OK)
            abort();
        char *c2 = canonical(again, &l2);
        if (l1 != l2 || memcmp(c1, c2, l1) != 0)
            abort();
        free(c1);
        free(c2);
    } else if (code == AT_ERR_INVALID) {
        if (plan || problems.total == 0 || problems.count == 0)
            abort();
        for (size_t i = 0; i < problems.count; i++)
            if (!problems.items[i].where[0] || !problems.items[i].message[0])
                abort();
    } else if (code != AT_ERR_NOMEM) {
        abort();
    }
    at_error_list_free(&problems);
    at_arena_free(&arena);
    return 0;
}
