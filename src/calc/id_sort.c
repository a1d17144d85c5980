/* id_sort.c - sorting external ids (transaction, person) into strcmp order fast: every
 * ordering choice the engine makes goes through external ids, and a size-M run has ten
 * million of them. An LSD radix sort on each id's first 8 bytes (packed big-endian, so that
 * integer order is strcmp order), then each run of equal prefixes is sorted the same way on
 * the next 8 bytes (small runs by insertion on strcmp). */
#include <stdlib.h>
#include <string.h>

#include "calc/calc_internal.h"

int calc_strcmp(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

/* The 8 bytes of s from offset off (s has at least off bytes before its NUL), zero-padded. */
static uint64_t prefix_key(const char *s, size_t off, bool *more)
{
    uint64_t k = 0;
    size_t i = 0;
    const unsigned char *p = (const unsigned char *)(s ? s : "") + off;
    for (; i < 8 && p[i]; i++)
        k |= (uint64_t)p[i] << (56 - 8 * i);
    *more = i == 8 && p[8] != '\0';
    return k;
}

typedef struct id_item {
    uint64_t key;
    int32_t index;
    int32_t more; /* the id goes on past these 8 bytes */
} id_item;

static void insertion_sort(const char *const *ids, id_item *a, size_t n, size_t off)
{
    for (size_t i = 1; i < n; i++) {
        id_item x = a[i];
        size_t j = i;
        while (j > 0) {
            const id_item *y = &a[j - 1];
            int c = y->key < x.key ? -1 : y->key > x.key ? 1 : 0;
            if (c == 0 && x.more && y->more)
                c = strcmp(ids[y->index] + off + 8, ids[x.index] + off + 8);
            else if (c == 0)
                c = y->more - x.more;
            if (c <= 0)
                break;
            a[j] = a[j - 1];
            j--;
        }
        a[j] = x;
    }
}

/* Sorts a[0..n) by key (stable LSD, 16 bits a pass, passes whose digit is constant skipped),
 * then recurses on runs of equal keys whose ids go on. */
static void radix_sort(const char *const *ids, id_item *a, id_item *tmp, size_t n, size_t off,
                       size_t *count)
{
    if (n < 48) {
        for (size_t i = 0; i < n; i++) {
            bool more;
            a[i].key = prefix_key(ids[a[i].index], off, &more);
            a[i].more = more;
        }
        insertion_sort(ids, a, n, off);
        return;
    }
    uint64_t and_all = ~UINT64_C(0), or_all = 0;
    for (size_t i = 0; i < n; i++) {
        bool more;
        a[i].key = prefix_key(ids[a[i].index], off, &more);
        a[i].more = more;
        and_all &= a[i].key;
        or_all |= a[i].key;
    }
    id_item *src = a, *dst = tmp;
    for (int shift = 0; shift < 64; shift += 16) {
        if (((and_all ^ or_all) >> shift & 0xffff) == 0)
            continue; /* every key has the same digit here */
        memset(count, 0, 65536 * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[src[i].key >> shift & 0xffff]++;
        size_t sum = 0;
        for (size_t d = 0; d < 65536; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[src[i].key >> shift & 0xffff]++] = src[i];
        id_item *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
    /* runs of the same 8 bytes: ids that end here first (more = 0), then the rest by suffix */
    size_t i = 0;
    while (i < n) {
        size_t j = i + 1;
        while (j < n && a[j].key == a[i].key)
            j++;
        if (j - i > 1) {
            /* move the ids that end here to the front of the run (stable) */
            size_t w = i;
            for (size_t k = i; k < j; k++)
                if (!a[k].more)
                    tmp[w++] = a[k];
            size_t ended = w - i;
            for (size_t k = i; k < j; k++)
                if (a[k].more)
                    tmp[w++] = a[k];
            memcpy(a + i, tmp + i, (j - i) * sizeof *a);
            if (j - i - ended > 1)
                radix_sort(ids, a + i + ended, tmp + i + ended, j - i - ended, off + 8, count);
        }
        i = j;
    }
}

at_code calc_sort_ids(const char *const *ids, size_t n, int32_t *order, at_error *err)
{
    if (n == 0)
        return AT_OK;
    id_item *a = malloc(n * sizeof *a);
    id_item *tmp = malloc(n * sizeof *tmp);
    size_t *count = n >= 48 ? malloc(65536 * sizeof *count) : NULL;
    if (!a || !tmp || (n >= 48 && !count)) {
        free(a);
        free(tmp);
        free(count);
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory sorting %zu ids", n);
    }
    for (size_t i = 0; i < n; i++)
        a[i].index = (int32_t)i;
    radix_sort(ids, a, tmp, n, 0, count);
    for (size_t i = 0; i < n; i++)
        order[i] = a[i].index;
    free(a);
    free(tmp);
    free(count);
    return AT_OK;
}
