/* payroll_csv.h - the finance files as CSV, in the layouts docs/payroll.md documents: the
 * month's payroll (one row per payee and earnings line), accruals at a month's end (one row per
 * payee) and cost of sales (one row per month, plan component, kind and currency). The one
 * place these layouts live: `attain payroll` writes them to a file, the API
 * (GET /api/v1/payroll/:month?format=csv, accruals, cost) sends the same bytes.
 *
 * Each writes the header line and then the rows, through a writer the caller opened (a file,
 * standard output, or a FILE* from open_memstream) and still owns: nothing is flushed or
 * closed here. Money is written exactly ("1234.50", at_money_format); a NULL plan or component
 * (draws, adjustments) is an empty field. Errors are the writer's (AT_ERR_IO with its name, a
 * field holding a NUL byte AT_ERR_INVALID). */
#ifndef ATTAIN_PAY_PAYROLL_CSV_H
#define ATTAIN_PAY_PAYROLL_CSV_H

#include <stddef.h>

#include "core/csv.h"
#include "core/error.h"
#include "store/pay_store.h"

/* period,person_id,name,currency,line,kind,amount: month in the period column of every row. */
at_code at_pay_payroll_csv(at_csv_writer *w, const char *month, const at_store_payroll_row *rows,
                           size_t count, at_error *err);

/* period,person_id,name,currency,earned_ytd,paid_ytd,accrued,draw_balance */
at_code at_pay_accruals_csv(at_csv_writer *w, const char *month, const at_store_accrual_row *rows,
                            size_t count, at_error *err);

/* period,plan,component,kind,currency,paid,earned,people: each row's own month as its period. */
at_code at_pay_cost_csv(at_csv_writer *w, const at_store_cost_row *rows, size_t count,
                        at_error *err);

#endif
