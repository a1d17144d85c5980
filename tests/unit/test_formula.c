/* test_formula.c - compiling formulas: the unit of every accepted combination, every unit
 * rule refused with its message and hint, syntax errors with their line and column, the
 * nesting and length limits, names from the resolver, and the compiled formula's accessors.
 * Formulas are compiled as if they sat at plan.yaml line 10, column 12: the character at
 * offset k of a one-line formula is at column 12 + k. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "test_formula_util.h"

#define MONEY AT_UNIT_MONEY
#define NUMBER AT_UNIT_NUMBER
#define COUNT AT_UNIT_COUNT
#define BOOL AT_UNIT_BOOL
#define ANY AT_UNIT_ANY

/* ---- units accepted -------------------------------------------------------------------------- */

static void units_accepted(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        at_unit want, unit;
    } cases[] = {
        {"bookings * 5%", ANY, MONEY},          /* money x number = money */
        {"5% * bookings", ANY, MONEY},
        {"bookings * deals", ANY, MONEY},       /* money x count = money */
        {"deals * rate", ANY, NUMBER},          /* count x number = number */
        {"deals * units", ANY, COUNT},          /* count x count = count */
        {"rate * rate", ANY, NUMBER},
        {"bookings / quota", ANY, NUMBER},      /* money / money = number */
        {"bookings / rate", ANY, MONEY},        /* money / number = money */
        {"bookings / deals", ANY, MONEY},       /* money / count = money */
        {"deals / units", ANY, NUMBER},         /* count / count = number */
        {"rate / deals", ANY, NUMBER},
        {"deals / rate", ANY, NUMBER},
        {"rate / rate", ANY, NUMBER},
        {"deals + rate", ANY, NUMBER},          /* a count meets a number as a number */
        {"deals - units", ANY, COUNT},
        {"bookings - quota", ANY, MONEY},
        {"amount - 1500", ANY, MONEY},          /* a literal stands for money */
        {"1500 + amount", ANY, MONEY},
        {"min(commission, 5000)", ANY, MONEY},
        {"max(5000, commission, 0)", ANY, MONEY},
        {"if(flag, 0.02 * bookings, 0)", ANY, MONEY},
        {"if(flag, 0, bookings)", ANY, MONEY},
        {"1500", ANY, NUMBER},                  /* a bare literal is a number ... */
        {"1500", MONEY, MONEY},                 /* ... or money where money is wanted */
        {"-1500", MONEY, MONEY},
        {"(1500)", MONEY, MONEY},
        {"1500 + 2", MONEY, MONEY},
        {"100 * deals", ANY, NUMBER},
        {"100 * deals", MONEY, MONEY},          /* 100 per deal */
        {"deals * 100", MONEY, MONEY},
        {"5000 * bookings.attainment", MONEY, MONEY},
        {"1000 / deals", MONEY, MONEY},
        {"1500 / bookings", ANY, NUMBER},       /* money / money */
        {"min(1, 2)", MONEY, MONEY},
        {"if(flag, 100, 200)", MONEY, MONEY},
        {"abs(-1500)", MONEY, MONEY},
        {"round(1500.555, 2)", ANY, MONEY},
        {"round(bookings, 2)", ANY, MONEY},
        {"round(bookings, 0)", MONEY, MONEY},
        {"round(bookings, 4)", MONEY, MONEY},
        {"bookings >= 100000", ANY, BOOL},      /* the literal becomes money */
        {"100000 < bookings", BOOL, BOOL},
        {"deals >= 10", BOOL, BOOL},            /* count against number */
        {"deals == units", BOOL, BOOL},
        {"metric.avg_margin >= 35%", BOOL, BOOL},
        {"bookings.attainment >= 100%", BOOL, BOOL},
        {"flag == true", BOOL, BOOL},
        {"flag != false", BOOL, BOOL},
        {"not flag", BOOL, BOOL},
        {"flag and deals > 3 or not flag", BOOL, BOOL},
        {"deals", NUMBER, NUMBER},              /* a count wanted as a number */
        {"deals", COUNT, COUNT},
        {"deals", ANY, COUNT},
        {"rate", NUMBER, NUMBER},
        {"-5", ANY, NUMBER},
        {"-deals", ANY, COUNT},
        {"abs(rate)", ANY, NUMBER},
        {"if(flag, deals, rate)", ANY, NUMBER}, /* count meets number */
        {"if(flag, deals, units)", ANY, COUNT},
        {"if(flag, flag, false)", ANY, BOOL},
        {"max(deals, 2)", ANY, NUMBER},
        {"max(deals, units)", ANY, COUNT},
        {"amount - 0.5 * margin", MONEY, MONEY},
        {"if(bookings.attainment >= 100%, 0.02 * bookings, 0)", MONEY, MONEY},
        {"bookings * 5%\n", MONEY, MONEY},
        {"  bookings\t*\r\n5%  ", MONEY, MONEY},
        {"true", BOOL, BOOL},
        {"0.0000001%", NUMBER, NUMBER},
        {"0.05000000000000", NUMBER, NUMBER},   /* trailing zeros lose nothing */
        {"9223372036.854775807", NUMBER, NUMBER},
        {"922337203685477.5807", MONEY, MONEY},
        {"bookings - 99999999999", MONEY, MONEY}, /* large as money, fine */
        {"007.50", MONEY, MONEY},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        at_arena arena;
        at_arena_init(&arena, 0);
        at_formula *f = NULL;
        at_error err;
        at_code rc = test_compile(&arena, cases[i].text, cases[i].want, &f, &err);
        if (rc != AT_OK)
            fail_msg("'%s' refused: %s: %s (%s)", cases[i].text, err.where, err.message,
                     err.hint);
        if (at_formula_unit(f) != cases[i].unit)
            fail_msg("'%s': unit %s, expected %s", cases[i].text,
                     at_unit_name(at_formula_unit(f)), at_unit_name(cases[i].unit));
        assert_string_equal(at_formula_text(f), cases[i].text);
        at_arena_free(&arena);
    }
}

/* ---- units refused --------------------------------------------------------------------------- */

typedef struct refused {
    const char *text;
    at_unit want;
    const char *where;
    const char *message;
    const char *hint;
} refused;

static void run_refused(const refused *cases, size_t n)
{
    for (size_t i = 0; i < n; i++)
        test_compile_fails(cases[i].text, cases[i].want, AT_ERR_INVALID, cases[i].where,
                           cases[i].message, cases[i].hint);
}

static void units_refused(void **state)
{
    (void)state;
    static const refused cases[] = {
        {"bookings * bookings", ANY, "plan.yaml:10:21", "'*' multiplies money by money",
         "money x money has no meaning; multiply by a rate such as 5%"},
        {"bookings + deals", ANY, "plan.yaml:10:21", "'+' adds money and a count",
         "multiply the count by an amount, as in 100 * deals"},
        {"deals + bookings", ANY, "plan.yaml:10:18", "'+' adds a count and money", "100 * deals"},
        {"bookings + 5%", ANY, "plan.yaml:10:21", "'+' adds money and a number",
         "money and numbers do not mix"},
        {"bookings - rate", ANY, "plan.yaml:10:21", "'-' subtracts money and a number", NULL},
        {"rate / bookings", ANY, "plan.yaml:10:17", "'/' divides a number by money",
         "only money divides by money"},
        {"deals / bookings", ANY, "plan.yaml:10:18", "'/' divides a count by money", NULL},
        {"5% / bookings", ANY, "plan.yaml:10:15", "'/' divides a number by money", NULL},
        {"flag + 1", ANY, "plan.yaml:10:17", "'+' cannot take a condition (bool)",
         "if(condition, a, b)"},
        {"flag * bookings", ANY, "plan.yaml:10:17", "'*' cannot take a condition (bool)", NULL},
        {"bookings / flag", ANY, "plan.yaml:10:21", "'/' cannot take a condition (bool)", NULL},
        {"flag < true", ANY, "plan.yaml:10:17", "'<' cannot order conditions (bools)",
         "compare conditions with == or !="},
        {"1 < 2 < 3", ANY, "plan.yaml:10:18", "'<' cannot order conditions (bools)",
         "comparisons do not chain: write a < b and b < c"},
        {"flag == 1", ANY, "plan.yaml:10:17", "'==' compares a condition (bool) and a number",
         NULL},
        {"bookings >= 50%", ANY, "plan.yaml:10:21", "'>=' compares money and a number",
         "bookings.attainment >= 100%"},
        {"deals < bookings", ANY, "plan.yaml:10:18", "'<' compares a count and money", NULL},
        {"flag and bookings", ANY, "plan.yaml:10:17",
         "'and' takes conditions (bools); its right side is money",
         "compare first, as in bookings > 0 and margin > 0"},
        {"deals or flag", ANY, "plan.yaml:10:18",
         "'or' takes conditions (bools); its left side is a count", NULL},
        {"not bookings", ANY, "plan.yaml:10:12",
         "'not' takes a condition (a bool); it was given money", NULL},
        {"-flag", ANY, "plan.yaml:10:12", "'-' cannot negate a condition (bool)",
         "negate a condition with not"},
        {"if(bookings, 1, 2)", ANY, "plan.yaml:10:12",
         "'if' needs a condition (a bool) first; it was given money",
         "if(bookings >= quota, 0.05 * bookings, 0)"},
        {"if(flag, bookings, deals)", ANY, "plan.yaml:10:12", "'if' mixes money and a count",
         NULL},
        {"if(flag, 5%, bookings)", ANY, "plan.yaml:10:12", "'if' mixes money and a number",
         NULL},
        {"if(flag, flag, 1)", ANY, "plan.yaml:10:12",
         "'if' mixes a condition (bool) and a number", NULL},
        {"min(bookings, rate)", ANY, "plan.yaml:10:12", "'min' mixes money and a number", NULL},
        {"max(1, 2, deals, bookings)", ANY, "plan.yaml:10:12", "'max' mixes money and a count",
         NULL},
        {"max(flag, flag)", ANY, "plan.yaml:10:12", "'max' cannot take a condition (bool)",
         NULL},
        {"abs(flag)", ANY, "plan.yaml:10:12", "'abs' cannot take a condition (bool)", NULL},
        {"round(rate, 2)", ANY, "plan.yaml:10:12", "'round' rounds money; it was given a number",
         "round(0.05 * bookings, 2)"},
        {"round(deals, 2)", ANY, "plan.yaml:10:12", "'round' rounds money; it was given a count",
         NULL},
        {"round(bookings, 5)", ANY, "plan.yaml:10:28",
         "'5' is not a number of decimals from 0 to 4", "round(x, 2) for cents"},
        {"round(bookings, -1)", ANY, "plan.yaml:10:28", "'-1' is not a number of decimals",
         NULL},
        {"round(bookings, 2.5)", ANY, "plan.yaml:10:28", "'2.5' is not a number of decimals",
         NULL},
        {"round(bookings, 2%)", ANY, "plan.yaml:10:28", "'2%' is not a number of decimals",
         NULL},
        {"round(bookings, deals)", ANY, "plan.yaml:10:28", "'deals' is not a number of decimals",
         NULL},
        {"bookings / 0", ANY, "plan.yaml:10:21", "'/' divides by 0",
         "a division by zero has no value"},
        {"bookings / 0.000", ANY, "plan.yaml:10:21", "'/' divides by 0", NULL},
        {"bookings - 0.00001", ANY, "plan.yaml:10:23", "'0.00001' has more decimals than money "
                                                      "holds",
         "at most 4 decimals"},
        {"9223372036.854775808", ANY, "plan.yaml:10:12",
         "'9223372036.854775808' is too large for a number", "9,223,372,036.854775807"},
        {"99999999999 * rate", ANY, "plan.yaml:10:12", "'99999999999' is too large for a number",
         NULL},
        {"bookings + 922337203685477.5808", ANY, "plan.yaml:10:23", "is too large for money",
         "922,337,203,685,477.5807"},
        /* the unit wanted */
        {"rate * 5%", MONEY, "plan.yaml:10:12",
         "'rate * 5%' gives a number, but money is wanted here",
         "multiply by an amount to get money, as in 5% * bookings"},
        {"rate * rate", MONEY, "plan.yaml:10:12", "'rate * rate' gives a number", NULL},
        {"2 * rate + rate", MONEY, "plan.yaml:10:12", "gives a number", NULL},
        {"rate / 2", MONEY, "plan.yaml:10:12", "gives a number", NULL},
        {"5%", MONEY, "plan.yaml:10:12", "'5%' gives a number, but money is wanted", NULL},
        {"deals", MONEY, "plan.yaml:10:12", "'deals' gives a count, but money is wanted",
         "multiply the count by an amount per item, as in 100 * deals"},
        {"flag", MONEY, "plan.yaml:10:12", "'flag' gives a condition (bool), but money is wanted",
         "if(condition, amount, 0)"},
        {"bookings", BOOL, "plan.yaml:10:12",
         "'bookings' gives money, but a condition (bool) is wanted",
         "bookings.attainment >= 50%"},
        {"bookings", NUMBER, "plan.yaml:10:12", "'bookings' gives money, but a number is wanted",
         "bookings / quota"},
        {"flag", NUMBER, "plan.yaml:10:12", "gives a condition (bool), but a number is wanted",
         "if(condition, 1, 0)"},
        {"rate", COUNT, "plan.yaml:10:12", "'rate' gives a number, but a count is wanted", NULL},
        {"1", COUNT, "plan.yaml:10:12", "'1' gives a number, but a count is wanted", NULL},
        {"  (rate)", MONEY, "plan.yaml:10:14", "'(rate)' gives a number", NULL},
    };
    run_refused(cases, sizeof cases / sizeof cases[0]);
}

/* ---- syntax ---------------------------------------------------------------------------------- */

static void syntax_errors(void **state)
{
    (void)state;
    static const refused cases[] = {
        {"", ANY, "plan.yaml:10:12", "the formula is empty", "5% * bookings"},
        {"   ", ANY, "plan.yaml:10:12", "the formula is empty", NULL},
        {"bookings *", ANY, "plan.yaml:10:22", "the formula ends after '*' where a value is "
                                               "missing",
         "write a number (1500, 5%), a name (bookings) or ( ... ) here"},
        {"(bookings", ANY, "plan.yaml:10:12", "'(' is never closed", "add the missing ')'"},
        {"(bookings quota)", ANY, "plan.yaml:10:22",
         "'quota' is out of place; expected ')' or an operator", NULL},
        {"min(bookings, quota", ANY, "plan.yaml:10:15", "'(' of min( is never closed",
         "separate the values with ','"},
        {"min(bookings quota)", ANY, "plan.yaml:10:25",
         "'quota' is out of place; expected ',' or ')' in min( )", NULL},
        {"bookings)", ANY, "plan.yaml:10:20", "')' has no '(' to close", NULL},
        {"bookings quota", ANY, "plan.yaml:10:21", "'quota' follows a complete expression",
         "join values with an operator"},
        {"1,500", ANY, "plan.yaml:10:13", "',' is outside a function's ( )",
         "without thousands separators"},
        {"foo(1)", ANY, "plan.yaml:10:12", "'foo' is not a function",
         "the functions are min, max, if, abs and round"},
        {"metric.min(1, 2)", ANY, "plan.yaml:10:12", "'metric.min' is not a function", NULL},
        {"if(flag, 1)", ANY, "plan.yaml:10:12", "'if' is given 2 values",
         "if(condition, value when true, value when false)"},
        {"abs()", ANY, "plan.yaml:10:12", "'abs' is given 0 values", NULL},
        {"min(1)", ANY, "plan.yaml:10:12", "'min' is given 1 value", "2 or more values"},
        {"round(1, 2, 3)", ANY, "plan.yaml:10:12", "'round' is given 3 values", NULL},
        {"bookings = 5", ANY, "plan.yaml:10:21", "unexpected '='", "write == to compare"},
        {"flag && flag", ANY, "plan.yaml:10:17", "unexpected '&&'", "write and"},
        {"flag || flag", ANY, "plan.yaml:10:17", "unexpected '||'", "write or"},
        {"!flag", ANY, "plan.yaml:10:12", "unexpected '!'", "not to negate a condition"},
        {"bookings <> 5", ANY, "plan.yaml:10:21", "unexpected '<>'", "write !="},
        {"rate ^ 2", ANY, "plan.yaml:10:17", "unexpected '^'", "formulas have no powers"},
        {"$5000", ANY, "plan.yaml:10:12", "unexpected '$'", "without a currency sign"},
        {"'x'", ANY, "plan.yaml:10:12", "unexpected '''", "no text values"},
        {"[1]", ANY, "plan.yaml:10:12", "unexpected '['", "group with ( and )"},
        {"bookings % 2", ANY, "plan.yaml:10:21", "unexpected '%'", "'%' follows a number"},
        {"1.5e3", ANY, "plan.yaml:10:12", "'1.5e3' uses an exponent",
         "write the number in full"},
        {"2E-3", ANY, "plan.yaml:10:12", "'2E-3' uses an exponent", NULL},
        {"12abc", ANY, "plan.yaml:10:12", "'12abc' is neither a number nor a name",
         "names start with a letter"},
        {"1.2.3", ANY, "plan.yaml:10:12", "'1.2.3' is not a number", NULL},
        {"5%%", ANY, "plan.yaml:10:12", "'5%%' is not a number", NULL},
        {"1.", ANY, "plan.yaml:10:12", "'1.' has no digit after its decimal point",
         "as in 1.0"},
        {"1. + 2", ANY, "plan.yaml:10:12", "'1.' has no digit after its decimal point", NULL},
        {".5", ANY, "plan.yaml:10:12", "unexpected '.'", "write a digit before the point, as in "
                                                         "0.5"},
        {"0.0000000001", ANY, "plan.yaml:10:12", "'0.0000000001' has more than 9 decimals",
         "at most 9 decimals"},
        {"0.00000001%", ANY, "plan.yaml:10:12", "'0.00000001%' has more than 7 decimals",
         "at most 7 decimals before %"},
        {"123456789012345678901", ANY, "plan.yaml:10:12", "'123456789012345678901' is too large",
         NULL},
        {"Bookings", ANY, "plan.yaml:10:12", "'Bookings' has capital letters",
         "names are lowercase: write bookings"},
        {"bookings.Attainment", ANY, "plan.yaml:10:12", "has capital letters",
         "write bookings.attainment"},
        {"bookings.", ANY, "plan.yaml:10:12", "'bookings.' is not a name",
         "each starting with a letter"},
        {"metric.9x", ANY, "plan.yaml:10:12", "'metric.9x' is not a name", NULL},
        {"\xc3\xa9t\xc3\xa9", ANY, "plan.yaml:10:12", "unexpected '\\xC3\\xA9'", NULL},
        {"bookings + ()", ANY, "plan.yaml:10:24", "')' is not a value",
         "put an expression inside ( )"},
        {"min(1, )", ANY, "plan.yaml:10:19", "')' is not a value", "give a value after ','"},
        {"+5", ANY, "plan.yaml:10:12", "'+' is not a value", "without a '+' sign"},
        {"bookings * * 2", ANY, "plan.yaml:10:23", "'*' is not a value", NULL},
        {"and", ANY, "plan.yaml:10:12", "'and' is not a value", NULL},
        {"flag and", ANY, "plan.yaml:10:20", "the formula ends after 'and'", NULL},
        {"bookings\x01", ANY, "plan.yaml:10:20", "unexpected '\\x01'", NULL},
    };
    run_refused(cases, sizeof cases / sizeof cases[0]);
    /* a function's name without ( is a name */
    test_compile_fails("if", ANY, AT_ERR_NOT_FOUND, "plan.yaml:10:12", "unknown name 'if'", NULL);
    /* a NUL inside the given length is a character like any other */
    at_arena arena;
    at_arena_init(&arena, 0);
    at_formula *f;
    at_error err;
    assert_int_equal(at_formula_compile("1\0002", 3, TEST_ORIGIN, test_resolve, NULL, ANY,
                                        &arena, &f, &err),
                     AT_ERR_INVALID);
    assert_string_equal(err.where, "plan.yaml:10:13");
    assert_string_equal(err.message, "unexpected '\\x00'");
    at_arena_free(&arena);
}

/* ---- positions ------------------------------------------------------------------------------- */

static void positions_across_lines(void **state)
{
    (void)state;
    /* ((rate * rate) * bookings) * bookings: the last '*' is money x money, on the third
       line; columns restart at 1 after a line break and a tab counts as one character */
    test_compile_fails("rate *\n  rate *\n\tbookings * bookings", ANY, AT_ERR_INVALID,
                       "plan.yaml:12:11", "'*' multiplies money by money", NULL);
    test_compile_fails("bookings +\r\n   deals", ANY, AT_ERR_INVALID, "plan.yaml:10:21",
                       "'+' adds money and a count", NULL);
    test_compile_fails("1 +\n\n  bookings.x", ANY, AT_ERR_NOT_FOUND, "plan.yaml:12:3",
                       "unknown name 'bookings.x'", NULL);
    test_compile_fails("(1 +\n 2", ANY, AT_ERR_INVALID, "plan.yaml:10:12",
                       "'(' is never closed", NULL);
    test_compile_fails("1 +\n 2 +", ANY, AT_ERR_INVALID, "plan.yaml:11:5",
                       "the formula ends after '+'", NULL);

    /* without a file, and with an unknown position */
    at_arena arena;
    at_arena_init(&arena, 0);
    at_formula *f;
    at_error err;
    at_formula_origin no_file = {NULL, 4, 7};
    assert_int_equal(at_formula_compile("1 ++", 4, no_file, test_resolve, NULL, ANY, &arena, &f,
                                        &err),
                     AT_ERR_INVALID);
    assert_string_equal(err.where, "4:10");
    at_formula_origin unknown = {"x.yaml", 0, 0};
    assert_int_equal(at_formula_compile("1 ++", 4, unknown, test_resolve, NULL, ANY, &arena, &f,
                                        &err),
                     AT_ERR_INVALID);
    assert_string_equal(err.where, "x.yaml:1:4");
    /* a non-ASCII character counts as one column */
    assert_int_equal(at_formula_compile("1 + \xc3\xa9", 6, TEST_ORIGIN, test_resolve, NULL, ANY,
                                        &arena, &f, &err),
                     AT_ERR_INVALID);
    assert_string_equal(err.where, "plan.yaml:10:16");
    at_arena_free(&arena);
}

/* ---- limits ---------------------------------------------------------------------------------- */

static char *repeat(const char *head, const char *unit, size_t times, const char *tail)
{
    size_t n = strlen(head) + strlen(unit) * times + strlen(tail) + 1;
    char *s = malloc(n);
    assert_non_null(s);
    strcpy(s, head);
    for (size_t i = 0; i < times; i++)
        strcat(s, unit);
    strcat(s, tail);
    return s;
}

static void compiles_or_not(const char *text, bool ok, const char *where, const char *message)
{
    at_arena arena;
    at_arena_init(&arena, 0);
    at_formula *f;
    at_error err;
    at_code rc = at_formula_compile(text, strlen(text), TEST_ORIGIN, test_resolve, NULL, ANY,
                                    &arena, &f, &err);
    if (ok && rc != AT_OK)
        fail_msg("refused: %s: %s", err.where, err.message);
    if (!ok) {
        assert_int_equal(rc, AT_ERR_INVALID);
        assert_string_equal(err.where, where);
        test_contains(err.message, message);
    }
    at_arena_free(&arena);
}

static void depth_limit(void **state)
{
    (void)state;
    /* 64 levels of ( ) are fine; the 65th '(' (offset 64, column 76) is too deep */
    char *ok = repeat("", "(", 64, "1");
    char *ok_full = malloc(strlen(ok) + 65);
    strcpy(ok_full, ok);
    for (int i = 0; i < 64; i++)
        strcat(ok_full, ")");
    compiles_or_not(ok_full, true, NULL, NULL);
    char *deep = repeat("", "(", 65, "1)");
    compiles_or_not(deep, false, "plan.yaml:10:76", "'(' nests too deep");
    /* so with calls and signs; never a stack overflow, however deep */
    char *calls = repeat("", "abs(", 65, "1)");
    compiles_or_not(calls, false, "plan.yaml:10:271", "'(' nests too deep"); /* 12+64*4+3 */
    char *signs = repeat("", "-", 65, "1");
    compiles_or_not(signs, false, "plan.yaml:10:76", "'-' nests too deep");
    char *nots = repeat("", "not ", 65, "flag");
    compiles_or_not(nots, false, "plan.yaml:10:268", "'not' nests too deep");
    char *huge = repeat("", "(", AT_FORMULA_TEXT_MAX - 1, "1");
    compiles_or_not(huge, false, "plan.yaml:10:76", "'(' nests too deep");
    /* a long flat chain is not deep */
    char *chain = repeat("1", " + 1", 1000, "");
    compiles_or_not(chain, true, NULL, NULL);
    char *ands = repeat("flag", " and flag or flag", 200, "");
    compiles_or_not(ands, true, NULL, NULL);
    char *args = repeat("max(1", ", 1", 1300, ")");
    compiles_or_not(args, true, NULL, NULL);
    /* 64 levels (32 of if( and min( ), each holding operands of most precedence levels */
    char *busy = repeat("", "if(flag or 1 < 1 + 2 * min(1, ", 32, "1");
    char *busy_full = repeat(busy, "), 1, 2)", 32, "");
    compiles_or_not(busy_full, true, NULL, NULL);
    free(ok);
    free(ok_full);
    free(deep);
    free(calls);
    free(signs);
    free(nots);
    free(huge);
    free(chain);
    free(ands);
    free(args);
    free(busy);
    free(busy_full);
}

static void length_limit(void **state)
{
    (void)state;
    char *text = repeat("1", "+1", (AT_FORMULA_TEXT_MAX - 1) / 2, "");
    size_t n = strlen(text);
    assert_int_equal(n, AT_FORMULA_TEXT_MAX - 1);
    at_arena arena;
    at_arena_init(&arena, 0);
    at_formula *f;
    at_error err;
    char *exact = repeat(text, "1", 1, ""); /* 4096 characters: "...+11" */
    assert_int_equal(at_formula_compile(exact, AT_FORMULA_TEXT_MAX, TEST_ORIGIN, NULL, NULL,
                                        ANY, &arena, &f, &err),
                     AT_OK);
    int64_t v;
    assert_int_equal(at_formula_eval(f, NULL, &v, &err), AT_OK);
    assert_int_equal(v, (int64_t)(2047 + 11) * 1000000000); /* 2047 ones and an 11 */
    char *over = repeat(exact, "1", 1, "");
    assert_int_equal(at_formula_compile(over, AT_FORMULA_TEXT_MAX + 1, TEST_ORIGIN, NULL, NULL,
                                        ANY, &arena, &f, &err),
                     AT_ERR_INVALID);
    assert_string_equal(err.where, "plan.yaml:10:12");
    assert_string_equal(err.message, "the formula is 4097 bytes long; formulas hold at most 4096");
    test_contains(err.hint, "refer to them by name");
    free(text);
    free(exact);
    free(over);
    at_arena_free(&arena);
}

/* ---- names ----------------------------------------------------------------------------------- */

static at_code resolve_sets_where(void *ctx, at_str name, at_unit *unit, int *slot,
                                  at_error *err)
{
    (void)ctx, (void)unit, (void)slot;
    return at_fail(err, AT_ERR_NOT_FOUND, "component bonus", "try bookings",
                   "no measure '%.*s'", (int)name.len, name.ptr);
}

static at_code resolve_bad_slot(void *ctx, at_str name, at_unit *unit, int *slot,
                                at_error *err)
{
    (void)ctx, (void)name, (void)err;
    *unit = AT_UNIT_MONEY;
    *slot = AT_FORMULA_SLOTS_MAX;
    return AT_OK;
}

static at_code resolve_any_unit(void *ctx, at_str name, at_unit *unit, int *slot,
                                at_error *err)
{
    (void)ctx, (void)name, (void)err;
    *unit = AT_UNIT_ANY;
    *slot = 0;
    return AT_OK;
}

static void names(void **state)
{
    (void)state;
    /* the resolver's message and hint, with the position added */
    test_compile_fails("bookings + bokings", ANY, AT_ERR_NOT_FOUND, "plan.yaml:10:23",
                       "unknown name 'bokings'", "names here are bookings, quota, deals");
    test_compile_fails("metric.avg_marginn > 1", ANY, AT_ERR_NOT_FOUND, "plan.yaml:10:12",
                       "unknown name 'metric.avg_marginn'", NULL);
    at_arena arena;
    at_arena_init(&arena, 0);
    at_formula *f;
    at_error err;
    /* a resolver's own where is kept after the position */
    assert_int_equal(at_formula_compile("1 + x", 5, TEST_ORIGIN, resolve_sets_where, NULL, ANY,
                                        &arena, &f, &err),
                     AT_ERR_NOT_FOUND);
    assert_string_equal(err.where, "plan.yaml:10:16: component bonus");
    assert_string_equal(err.message, "no measure 'x'");
    assert_string_equal(err.hint, "try bookings");
    /* no resolver: no names */
    assert_int_equal(at_formula_compile("2 * x", 5, TEST_ORIGIN, NULL, NULL, ANY, &arena, &f,
                                        &err),
                     AT_ERR_NOT_FOUND);
    assert_string_equal(err.where, "plan.yaml:10:16");
    assert_string_equal(err.message, "unknown name 'x'");
    /* a resolver that breaks its contract is caught */
    assert_int_equal(at_formula_compile("x", 1, TEST_ORIGIN, resolve_bad_slot, NULL, ANY,
                                        &arena, &f, &err),
                     AT_ERR_INTERNAL);
    test_contains(err.message, "'x' was given slot 256");
    assert_int_equal(at_formula_compile("x", 1, TEST_ORIGIN, resolve_any_unit, NULL, ANY,
                                        &arena, &f, &err),
                     AT_ERR_INTERNAL);
    /* every use of a name is resolved; keywords and function names are not asked about */
    int calls = 0;
    const char *text = "min(bookings, bookings) + max(quota, 1) > 0 and not true";
    assert_int_equal(at_formula_compile(text, strlen(text), TEST_ORIGIN, test_resolve, &calls,
                                        ANY, &arena, &f, &err),
                     AT_OK);
    assert_int_equal(calls, 3);
    /* a function's name without ( is a name like any other */
    test_compile_fails("min + 1", ANY, AT_ERR_NOT_FOUND, "plan.yaml:10:12", "unknown name 'min'",
                       NULL);
    at_arena_free(&arena);
}

/* ---- the compiled formula -------------------------------------------------------------------- */

static void accessors(void **state)
{
    (void)state;
    at_arena arena;
    at_arena_init(&arena, 0);
    at_formula *f;
    at_error err;
    const char *text = "far + bookings + bookings * rate - far";
    assert_int_equal(test_compile(&arena, text, MONEY, &f, &err), AT_OK);
    assert_string_equal(at_formula_text(f), text);
    assert_int_equal(at_formula_unit(f), MONEY);
    assert_int_equal(at_formula_slot_count(f), 3);
    assert_int_equal(at_formula_slot_at(f, 0), S_BOOKINGS);
    assert_int_equal(at_formula_slot_at(f, 1), S_RATE);
    assert_int_equal(at_formula_slot_at(f, 2), S_FAR);
    assert_int_equal(at_formula_slot_at(f, 3), -1);
    assert_int_equal(test_compile(&arena, "1 + 2", ANY, &f, &err), AT_OK);
    assert_int_equal(at_formula_slot_count(f), 0);
    /* the text is copied: the caller's buffer may go */
    char buf[32];
    strcpy(buf, "bookings * 5%");
    assert_int_equal(at_formula_compile(buf, strlen(buf), TEST_ORIGIN, test_resolve, NULL, ANY,
                                        &arena, &f, &err),
                     AT_OK);
    memset(buf, 'x', sizeof buf - 1);
    assert_string_equal(at_formula_text(f), "bookings * 5%");
    /* only length bytes are read */
    assert_int_equal(at_formula_compile("rate + 1garbage", 8, TEST_ORIGIN, test_resolve, NULL,
                                        ANY, &arena, &f, &err),
                     AT_OK);
    assert_string_equal(at_formula_text(f), "rate + 1");
    at_arena_free(&arena);

    assert_string_equal(at_unit_name(AT_UNIT_MONEY), "money");
    assert_string_equal(at_unit_name(AT_UNIT_NUMBER), "number");
    assert_string_equal(at_unit_name(AT_UNIT_COUNT), "count");
    assert_string_equal(at_unit_name(AT_UNIT_BOOL), "bool");
    assert_string_equal(at_unit_name(AT_UNIT_ANY), "any");
    assert_string_equal(at_unit_name((at_unit)99), "unknown");
}

static void failures_leave_the_arena_alone(void **state)
{
    (void)state;
    at_arena arena;
    at_arena_init(&arena, 0);
    at_formula *f;
    at_error err;
    assert_int_equal(test_compile(&arena, "1", ANY, &f, &err), AT_OK);
    size_t before = arena.allocated;
    assert_int_equal(test_compile(&arena, "bookings * bookings", ANY, &f, &err),
                     AT_ERR_INVALID);
    assert_null(f);
    assert_int_equal(test_compile(&arena, "(((", ANY, &f, &err), AT_ERR_INVALID);
    assert_int_equal(arena.allocated, before);
    /* bad calls */
    assert_int_equal(at_formula_compile(NULL, 3, TEST_ORIGIN, NULL, NULL, ANY, &arena, &f, &err),
                     AT_ERR_INVALID);
    assert_int_equal(at_formula_compile("1", 1, TEST_ORIGIN, NULL, NULL, ANY, NULL, &f, &err),
                     AT_ERR_INVALID);
    assert_int_equal(at_formula_compile("1", 1, TEST_ORIGIN, NULL, NULL, ANY, &arena, NULL,
                                        &err),
                     AT_ERR_INVALID);
    assert_int_equal(at_formula_compile("1", 1, TEST_ORIGIN, NULL, NULL, (at_unit)7, &arena, &f,
                                        &err),
                     AT_ERR_INVALID);
    /* NULL text of length 0 is the empty formula; a NULL error is fine */
    assert_int_equal(at_formula_compile(NULL, 0, TEST_ORIGIN, NULL, NULL, ANY, &arena, &f, NULL),
                     AT_ERR_INVALID);
    assert_int_equal(at_formula_compile("x", 1, TEST_ORIGIN, test_resolve, NULL, ANY, &arena, &f,
                                        NULL),
                     AT_ERR_NOT_FOUND);
    at_arena_free(&arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(units_accepted),
        cmocka_unit_test(units_refused),
        cmocka_unit_test(syntax_errors),
        cmocka_unit_test(positions_across_lines),
        cmocka_unit_test(depth_limit),
        cmocka_unit_test(length_limit),
        cmocka_unit_test(names),
        cmocka_unit_test(accessors),
        cmocka_unit_test(failures_leave_the_arena_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
