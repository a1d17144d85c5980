/* pay_store_impl.h - inside the pay store (pay_store_*.c): what its files share. The pay store
 * is written for the SQLite backend (sqlite_impl.h); a PostgreSQL backend brings its own. */
#ifndef ATTAIN_STORE_PAY_STORE_IMPL_H
#define ATTAIN_STORE_PAY_STORE_IMPL_H

#include "store/pay_store.h"
#include "store/sqlite_impl.h"

/* AT_OK when the store is a SQLite store (and, for a write, not opened read-only). */
static inline at_code at_pay_store_check(at_store *store, bool write, at_error *err)
{
    if (!store || store->ops != &at_sqlite_ops)
        return at_fail(err, AT_ERR_STORE, store ? store->path : NULL,
                       "use a SQLite database (--db FILE)",
                       "this store keeps no pay data (only SQLite stores do so far)");
    if (write && store->read_only)
        return at_fail(err, AT_ERR_INTERNAL, store->path, NULL,
                       "cannot write pay data: the database was opened read-only");
    return AT_OK;
}

#endif
