/* calc_fx.c - exchange rates as the engine reads them: the rate from one currency to another
 * on a day, with a small per-thread cache in front of at_fx_lookup (a payee's credits are
 * mostly in a few currencies on few distinct days). */
#include <string.h>

#include "calc/calc_internal.h"
#include "core/fx.h"

bool calc_fx_rate(calc_worker *w, uint32_t from, uint32_t to, at_day day, at_rate *rate)
{
    if (from == to) {
        *rate = AT_RATE_SCALE;
        return true;
    }
    uint32_t h = (from * 2654435761u) ^ (to * 40503u) ^ ((uint32_t)day * 2246822519u);
    calc_fx_cache_entry *e = &w->fx[(h >> 8) % CALC_FX_CACHE];
    if (e->state != 0 && e->from == from && e->to == to && e->day == day) {
        *rate = e->rate;
        return e->state > 0;
    }
    char f[4], t[4];
    calc_unpack_code(from, f);
    calc_unpack_code(to, t);
    at_fx_quote q;
    bool ok = w->ctx->in->fx &&
              at_fx_lookup(w->ctx->in->fx, at_str_from(f), at_str_from(t), day, &q, NULL) ==
                  AT_OK;
    e->from = from;
    e->to = to;
    e->day = day;
    e->state = ok ? 1 : -1;
    e->rate = ok ? q.rate : 0;
    *rate = e->rate;
    return ok;
}
