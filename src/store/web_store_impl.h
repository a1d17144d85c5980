/* web_store_impl.h - inside the web store (web_store*.c): statements kept prepared on the
 * server's handles (web_store_statements.c). */
#ifndef ATTAIN_STORE_WEB_STORE_IMPL_H
#define ATTAIN_STORE_WEB_STORE_IMPL_H

#include "store/pay_store_impl.h"
#include "store/web_store.h"

/* Prepares sql, or on a handle the server marked (at_web_store_keep_statements) takes an idle
 * statement of the same text kept from before. Give it back with at_web_statement_done. */
at_code at_web_prepare(at_store *store, const char *sql, sqlite3_stmt **out, const char *doing,
                       at_error *err);
/* Resets and keeps st on a marked handle, finalizes it on any other. NULL is allowed. */
void at_web_statement_done(at_store *store, sqlite3_stmt *st);

#endif
