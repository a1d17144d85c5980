/* statement_impl.h - what the statement renderers share (private to src/pay): names of the
 * engine's enums as JSON writes them and as people read them, and formatting of money,
 * rates, measure values, dates and text (thousands separators, widths, WinAnsi for PDF). */
#ifndef ATTAIN_PAY_STATEMENT_IMPL_H
#define ATTAIN_PAY_STATEMENT_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/date.h"
#include "core/error.h"
#include "core/money.h"
#include "pay/statement.h"

/* Room for any text the helpers below write (money with separators, percentages, dates). */
#define AT_ST_TEXT_MAX 48

/* ---- names -------------------------------------------------------------------------------- */

/* Stable names (JSON): "owner", "booking", "component", "quarter_to_date", "amount",
 * "monthly", "rate". "unknown" outside the enums. */
const char *at_st_credit_kind(unsigned kind);
const char *at_st_tx_type(unsigned type);
const char *at_st_line_kind(unsigned kind);
const char *at_st_window(unsigned window);
const char *at_st_sum(unsigned sum);
const char *at_st_frequency(unsigned frequency);
const char *at_st_component_kind(unsigned kind);
const char *at_st_basis(unsigned basis);
/* For people: "Owner", "Split", "Roll-up", "Booking", "Cancellation", "paid monthly". */
const char *at_st_credit_kind_label(unsigned kind);
const char *at_st_tx_type_label(unsigned type);
const char *at_st_frequency_label(unsigned frequency);

/* ---- numbers ------------------------------------------------------------------------------ */

/* Money with `decimals` decimals (0..4); exact: more decimals, up to 4, when the value has
 * them (so that an unrounded amount shows what rounding did); grouped: thousands separated
 * by ',' ("12,500.00"), else plain ("12500.00", for JSON). Returns buf. */
char *at_st_money(at_money value, int decimals, bool exact, bool grouped, char *buf,
                  size_t size);
/* The same with a sign always written ("+0.0022", "-0.01", "0.00" for zero). */
char *at_st_money_signed(at_money value, int decimals, bool exact, char *buf, size_t size);
/* A measure value at 1e-4: money with 2 decimals (exact), counts and units without decimals
 * unless they have some ("3", "2.5"); grouped. */
char *at_st_measure_value(const at_statement_measure *m, at_money value, char *buf,
                          size_t size);
/* A count with thousands separators: "72,784". */
char *at_st_count(size_t n, char *buf, size_t size);
/* A rate as a percentage with up to `decimals` decimals, trailing zeros dropped down to
 * min_decimals: 0.333333333 -> "33.33%" (2, 0); 1.0 -> "100%" (2, 0); 1.0 -> "100.0%" (2, 1). */
char *at_st_percent(at_rate value, int decimals, int min_decimals, char *buf, size_t size);
/* A rate exactly, at least one decimal: "0.92", "1.0". */
char *at_st_rate(at_rate value, char *buf, size_t size);
/* "2026-03-04". */
char *at_st_day(at_day day, char *buf, size_t size);
/* "4 March 2026". */
char *at_st_day_long(at_day day, char *buf, size_t size);

/* The heading of a measure's values: its currency, "Deals" (counts) or "Units". */
const char *at_st_value_header(const at_statement_measure *m);
/* True when some line earns in a currency other than the pay currency (the earned column
 * then mixes currencies and its total is marked with the pay currency). */
bool at_st_mixed_currencies(const at_statement *st);

/* How many of a measure's credits the text, HTML and PDF formats list (st->credit_limit). */
size_t at_st_listed(const at_statement *st, const at_statement_measure *m);
/* Whether to show the measure's sources table: more than one source, and roll-ups or a list
 * cut short. */
bool at_st_show_sources(const at_statement *st, const at_statement_measure *m);
/* "Roll-up 1 from Ana Lima", "Owner", "Split". */
char *at_st_source_label(const at_statement_source *s, char *buf, size_t size);

/* The decimals a currency code rounds to: its minor units, 4 for codes without, 2 for an
 * unknown or NULL code. */
int at_st_currency_decimals(const char *code);

/* ---- text --------------------------------------------------------------------------------- */

/* Columns a UTF-8 text takes in a terminal: one per character, none for combining marks,
 * two for East Asian wide characters; a byte that is not UTF-8 counts one. */
size_t at_st_width(const char *text);
/* Converts UTF-8 to Windows-1252 (the WinAnsi encoding of the PDF's standard fonts): the
 * characters it has are kept, Latin letters with marks it lacks lose their marks (ł -> l,
 * ő -> o, ș -> s), Cyrillic and Greek letters are transliterated (Иван -> Ivan), other
 * characters and bytes that are not UTF-8 become '?', control characters become spaces.
 * Always NUL-terminates (size > 0); cuts whole characters. Returns the length written. */
size_t at_st_winansi(const char *utf8, char *buf, size_t size);

/* ---- output ------------------------------------------------------------------------------- */

/* The renderers, each writing one format to out. */
at_code at_st_write_text(const at_statement *st, FILE *out, at_error *err);
at_code at_st_write_json(const at_statement *st, FILE *out, at_error *err);
at_code at_st_write_html(const at_statement *st, FILE *out, at_error *err);
at_code at_st_write_pdf(const at_statement *st, FILE *out, at_error *err);

/* Checks out after writing: AT_ERR_IO naming what was written when the stream failed. */
at_code at_st_check_stream(FILE *out, const char *what, at_error *err);

/* Runs write into a memory stream: *data is malloc'ed and NUL-terminated. */
typedef at_code (*at_st_writer)(const void *subject, FILE *out, at_error *err);
at_code at_st_render_memory(at_st_writer write, const void *subject, char **data,
                            size_t *length, at_error *err);

#endif
