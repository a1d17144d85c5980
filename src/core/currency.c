/* currency.c - the ISO 4217 table (see currency.h): the active codes, their minor units and
 * names, typed in from ISO 4217 list one and kept sorted by code (a unit test checks the
 * order), plus the withdrawn and informal codes people still write, for better errors. */
#include "core/currency.h"

#include <stdio.h>
#include <string.h>

#define NA AT_CURRENCY_NO_MINOR_UNITS

static const at_currency CURRENCIES[] = {
    {"AED", 2, "UAE Dirham"},
    {"AFN", 2, "Afghani"},
    {"ALL", 2, "Lek"},
    {"AMD", 2, "Armenian Dram"},
    {"AOA", 2, "Kwanza"},
    {"ARS", 2, "Argentine Peso"},
    {"AUD", 2, "Australian Dollar"},
    {"AWG", 2, "Aruban Florin"},
    {"AZN", 2, "Azerbaijan Manat"},
    {"BAM", 2, "Convertible Mark"},
    {"BBD", 2, "Barbados Dollar"},
    {"BDT", 2, "Taka"},
    {"BGN", 2, "Bulgarian Lev"}, /* Bulgaria uses the euro from 2026-01-01; kept for earlier data */
    {"BHD", 3, "Bahraini Dinar"},
    {"BIF", 0, "Burundi Franc"},
    {"BMD", 2, "Bermudian Dollar"},
    {"BND", 2, "Brunei Dollar"},
    {"BOB", 2, "Boliviano"},
    {"BOV", 2, "Mvdol"},
    {"BRL", 2, "Brazilian Real"},
    {"BSD", 2, "Bahamian Dollar"},
    {"BTN", 2, "Ngultrum"},
    {"BWP", 2, "Pula"},
    {"BYN", 2, "Belarusian Ruble"},
    {"BZD", 2, "Belize Dollar"},
    {"CAD", 2, "Canadian Dollar"},
    {"CDF", 2, "Congolese Franc"},
    {"CHE", 2, "WIR Euro"},
    {"CHF", 2, "Swiss Franc"},
    {"CHW", 2, "WIR Franc"},
    {"CLF", 4, "Unidad de Fomento"},
    {"CLP", 0, "Chilean Peso"},
    {"CNY", 2, "Yuan Renminbi"},
    {"COP", 2, "Colombian Peso"},
    {"COU", 2, "Unidad de Valor Real"},
    {"CRC", 2, "Costa Rican Colon"},
    {"CUC", 2, "Peso Convertible"},
    {"CUP", 2, "Cuban Peso"},
    {"CVE", 2, "Cabo Verde Escudo"},
    {"CZK", 2, "Czech Koruna"},
    {"DJF", 0, "Djibouti Franc"},
    {"DKK", 2, "Danish Krone"},
    {"DOP", 2, "Dominican Peso"},
    {"DZD", 2, "Algerian Dinar"},
    {"EGP", 2, "Egyptian Pound"},
    {"ERN", 2, "Nakfa"},
    {"ETB", 2, "Ethiopian Birr"},
    {"EUR", 2, "Euro"},
    {"FJD", 2, "Fiji Dollar"},
    {"FKP", 2, "Falkland Islands Pound"},
    {"GBP", 2, "Pound Sterling"},
    {"GEL", 2, "Lari"},
    {"GHS", 2, "Ghana Cedi"},
    {"GIP", 2, "Gibraltar Pound"},
    {"GMD", 2, "Dalasi"},
    {"GNF", 0, "Guinean Franc"},
    {"GTQ", 2, "Quetzal"},
    {"GYD", 2, "Guyana Dollar"},
    {"HKD", 2, "Hong Kong Dollar"},
    {"HNL", 2, "Lempira"},
    {"HTG", 2, "Gourde"},
    {"HUF", 2, "Forint"},
    {"IDR", 2, "Rupiah"},
    {"ILS", 2, "New Israeli Sheqel"},
    {"INR", 2, "Indian Rupee"},
    {"IQD", 3, "Iraqi Dinar"},
    {"IRR", 2, "Iranian Rial"},
    {"ISK", 0, "Iceland Krona"},
    {"JMD", 2, "Jamaican Dollar"},
    {"JOD", 3, "Jordanian Dinar"},
    {"JPY", 0, "Yen"},
    {"KES", 2, "Kenyan Shilling"},
    {"KGS", 2, "Som"},
    {"KHR", 2, "Riel"},
    {"KMF", 0, "Comorian Franc"},
    {"KPW", 2, "North Korean Won"},
    {"KRW", 0, "Won"},
    {"KWD", 3, "Kuwaiti Dinar"},
    {"KYD", 2, "Cayman Islands Dollar"},
    {"KZT", 2, "Tenge"},
    {"LAK", 2, "Lao Kip"},
    {"LBP", 2, "Lebanese Pound"},
    {"LKR", 2, "Sri Lanka Rupee"},
    {"LRD", 2, "Liberian Dollar"},
    {"LSL", 2, "Loti"},
    {"LYD", 3, "Libyan Dinar"},
    {"MAD", 2, "Moroccan Dirham"},
    {"MDL", 2, "Moldovan Leu"},
    {"MGA", 2, "Malagasy Ariary"},
    {"MKD", 2, "Denar"},
    {"MMK", 2, "Kyat"},
    {"MNT", 2, "Tugrik"},
    {"MOP", 2, "Pataca"},
    {"MRU", 2, "Ouguiya"},
    {"MUR", 2, "Mauritius Rupee"},
    {"MVR", 2, "Rufiyaa"},
    {"MWK", 2, "Malawi Kwacha"},
    {"MXN", 2, "Mexican Peso"},
    {"MXV", 2, "Mexican Unidad de Inversion (UDI)"},
    {"MYR", 2, "Malaysian Ringgit"},
    {"MZN", 2, "Mozambique Metical"},
    {"NAD", 2, "Namibia Dollar"},
    {"NGN", 2, "Naira"},
    {"NIO", 2, "Cordoba Oro"},
    {"NOK", 2, "Norwegian Krone"},
    {"NPR", 2, "Nepalese Rupee"},
    {"NZD", 2, "New Zealand Dollar"},
    {"OMR", 3, "Rial Omani"},
    {"PAB", 2, "Balboa"},
    {"PEN", 2, "Sol"},
    {"PGK", 2, "Kina"},
    {"PHP", 2, "Philippine Peso"},
    {"PKR", 2, "Pakistan Rupee"},
    {"PLN", 2, "Zloty"},
    {"PYG", 0, "Guarani"},
    {"QAR", 2, "Qatari Rial"},
    {"RON", 2, "Romanian Leu"},
    {"RSD", 2, "Serbian Dinar"},
    {"RUB", 2, "Russian Ruble"},
    {"RWF", 0, "Rwanda Franc"},
    {"SAR", 2, "Saudi Riyal"},
    {"SBD", 2, "Solomon Islands Dollar"},
    {"SCR", 2, "Seychelles Rupee"},
    {"SDG", 2, "Sudanese Pound"},
    {"SEK", 2, "Swedish Krona"},
    {"SGD", 2, "Singapore Dollar"},
    {"SHP", 2, "Saint Helena Pound"},
    {"SLE", 2, "Leone"},
    {"SLL", 2, "Leone"}, /* the old leone: redenominated to SLE in 2022, still met in data */
    {"SOS", 2, "Somali Shilling"},
    {"SRD", 2, "Surinam Dollar"},
    {"SSP", 2, "South Sudanese Pound"},
    {"STN", 2, "Dobra"},
    {"SVC", 2, "El Salvador Colon"},
    {"SYP", 2, "Syrian Pound"},
    {"SZL", 2, "Lilangeni"},
    {"THB", 2, "Baht"},
    {"TJS", 2, "Somoni"},
    {"TMT", 2, "Turkmenistan New Manat"},
    {"TND", 3, "Tunisian Dinar"},
    {"TOP", 2, "Pa'anga"},
    {"TRY", 2, "Turkish Lira"},
    {"TTD", 2, "Trinidad and Tobago Dollar"},
    {"TWD", 2, "New Taiwan Dollar"},
    {"TZS", 2, "Tanzanian Shilling"},
    {"UAH", 2, "Hryvnia"},
    {"UGX", 0, "Uganda Shilling"},
    {"USD", 2, "US Dollar"},
    {"USN", 2, "US Dollar (Next day)"},
    {"UYI", 0, "Uruguay Peso en Unidades Indexadas (UI)"},
    {"UYU", 2, "Peso Uruguayo"},
    {"UYW", 4, "Unidad Previsional"},
    {"UZS", 2, "Uzbekistan Sum"},
    {"VED", 2, "Bolivar Soberano (digital)"},
    {"VES", 2, "Bolivar Soberano"},
    {"VND", 0, "Dong"},
    {"VUV", 0, "Vatu"},
    {"WST", 2, "Tala"},
    {"XAF", 0, "CFA Franc BEAC"},
    {"XAG", NA, "Silver"},
    {"XAU", NA, "Gold"},
    {"XBA", NA, "Bond Markets Unit European Composite Unit (EURCO)"},
    {"XBB", NA, "Bond Markets Unit European Monetary Unit (E.M.U.-6)"},
    {"XBC", NA, "Bond Markets Unit European Unit of Account 9 (E.U.A.-9)"},
    {"XBD", NA, "Bond Markets Unit European Unit of Account 17 (E.U.A.-17)"},
    {"XCD", 2, "East Caribbean Dollar"},
    {"XCG", 2, "Caribbean Guilder"},
    {"XDR", NA, "SDR (Special Drawing Right)"},
    {"XOF", 0, "CFA Franc BCEAO"},
    {"XPD", NA, "Palladium"},
    {"XPF", 0, "CFP Franc"},
    {"XPT", NA, "Platinum"},
    {"XSU", NA, "Sucre"},
    {"XTS", NA, "Codes specifically reserved for testing purposes"},
    {"XUA", NA, "ADB Unit of Account"},
    {"XXX", NA, "The codes assigned for transactions where no currency is involved"},
    {"YER", 2, "Yemeni Rial"},
    {"ZAR", 2, "Rand"},
    {"ZMW", 2, "Zambian Kwacha"},
    {"ZWG", 2, "Zimbabwe Gold"},
};

#define CURRENCY_COUNT (sizeof CURRENCIES / sizeof CURRENCIES[0])

/* Codes people still write that are not (or no longer) active ISO 4217 codes, with the code
 * to use instead. */
typedef struct replaced_code {
    char code[4];
    char use[4];
    const char *why;
} replaced_code;

static const replaced_code REPLACED[] = {
    {"ANG", "XCG", "was replaced by the Caribbean guilder"},
    {"ATS", "EUR", "was replaced by the euro"},
    {"AZM", "AZN", "was redenominated"},
    {"BEF", "EUR", "was replaced by the euro"},
    {"BYR", "BYN", "was redenominated"},
    {"CNH", "CNY", "is a market name for offshore yuan, not an ISO 4217 code"},
    {"CSD", "RSD", "was replaced by the Serbian dinar"},
    {"CYP", "EUR", "was replaced by the euro"},
    {"DEM", "EUR", "was replaced by the euro"},
    {"EEK", "EUR", "was replaced by the euro"},
    {"ESP", "EUR", "was replaced by the euro"},
    {"FIM", "EUR", "was replaced by the euro"},
    {"FRF", "EUR", "was replaced by the euro"},
    {"GBX", "GBP", "is pence, not an ISO 4217 code (divide by 100)"},
    {"GHC", "GHS", "was redenominated"},
    {"GRD", "EUR", "was replaced by the euro"},
    {"HRK", "EUR", "was replaced by the euro"},
    {"IEP", "EUR", "was replaced by the euro"},
    {"ITL", "EUR", "was replaced by the euro"},
    {"LTL", "EUR", "was replaced by the euro"},
    {"LUF", "EUR", "was replaced by the euro"},
    {"LVL", "EUR", "was replaced by the euro"},
    {"MGF", "MGA", "was replaced by the ariary"},
    {"MRO", "MRU", "was redenominated"},
    {"MTL", "EUR", "was replaced by the euro"},
    {"MZM", "MZN", "was redenominated"},
    {"NIS", "ILS", "is the common abbreviation; the ISO 4217 code is ILS"},
    {"NLG", "EUR", "was replaced by the euro"},
    {"PTE", "EUR", "was replaced by the euro"},
    {"RMB", "CNY", "is the common abbreviation; the ISO 4217 code is CNY"},
    {"ROL", "RON", "was redenominated"},
    {"RUR", "RUB", "was redenominated"},
    {"SDD", "SDG", "was replaced by the Sudanese pound"},
    {"SIT", "EUR", "was replaced by the euro"},
    {"SKK", "EUR", "was replaced by the euro"},
    {"STD", "STN", "was redenominated"},
    {"TMM", "TMT", "was redenominated"},
    {"TRL", "TRY", "was redenominated"},
    {"VEB", "VES", "was replaced twice (VEF, then VES)"},
    {"VEF", "VES", "was redenominated"},
    {"ZMK", "ZMW", "was redenominated"},
    {"ZWD", "ZWG", "was replaced (ZWL, then ZWG)"},
    {"ZWL", "ZWG", "was replaced by Zimbabwe Gold"},
};

#define REPLACED_COUNT (sizeof REPLACED / sizeof REPLACED[0])

static int compare_code(const char *a, const char *b)
{
    return memcmp(a, b, 3);
}

const at_currency *at_currency_find(at_str code)
{
    if (code.len != 3 || !code.ptr)
        return NULL;
    size_t lo = 0, hi = CURRENCY_COUNT;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = compare_code(code.ptr, CURRENCIES[mid].code);
        if (c == 0)
            return &CURRENCIES[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

static const replaced_code *find_replaced(const char *code)
{
    for (size_t i = 0; i < REPLACED_COUNT; i++)
        if (compare_code(code, REPLACED[i].code) == 0)
            return &REPLACED[i];
    return NULL;
}

/* The code for a message: at most 12 bytes, non-printable bytes as '?'. */
static const char *shown(at_str code, char out[16])
{
    size_t n = code.len < 12 ? code.len : 12;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)code.ptr[i];
        out[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    if (code.len > n) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
    return out;
}

at_code at_currency_lookup(at_str code, const at_currency **out, at_error *err)
{
    const at_currency *found = at_currency_find(code);
    if (found) {
        *out = found;
        return AT_OK;
    }
    char s[16];
    char hint[AT_ERROR_HINT_MAX];
    if (code.len == 0 || !code.ptr)
        return at_fail(err, AT_ERR_INVALID, NULL,
                       "write an ISO 4217 currency code such as USD, EUR or JPY",
                       "empty currency code");
    bool letters = code.len == 3, upper = code.len == 3;
    for (size_t i = 0; i < code.len; i++) {
        char c = code.ptr[i];
        bool is_upper = c >= 'A' && c <= 'Z', is_lower = c >= 'a' && c <= 'z';
        letters = letters && (is_upper || is_lower);
        upper = upper && is_upper;
    }
    if (code.len != 3 || !letters)
        return at_fail(err, AT_ERR_INVALID, NULL,
                       "write the three-letter ISO 4217 code, e.g. USD, EUR or JPY (no symbols "
                       "such as $ or spaces)",
                       "currency code '%s' is not three letters", shown(code, s));
    if (!upper) {
        char up[4];
        for (size_t i = 0; i < 3; i++) {
            char c = code.ptr[i];
            up[i] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
        }
        up[3] = '\0';
        if (at_currency_find(at_str_make(up, 3)))
            snprintf(hint, sizeof hint, "write currency codes in upper case: %s", up);
        else
            snprintf(hint, sizeof hint,
                     "write currency codes in upper case (%s is not an active ISO 4217 code "
                     "either)",
                     up);
        return at_fail(err, AT_ERR_INVALID, NULL, hint, "currency code '%s' is not upper case",
                       shown(code, s));
    }
    const replaced_code *r = find_replaced(code.ptr);
    if (r) {
        snprintf(hint, sizeof hint, "use %s (%s); convert the amounts if needed", r->use,
                 at_currency_find(at_str_make(r->use, 3))->name);
        return at_fail(err, AT_ERR_NOT_FOUND, NULL, hint,
                       "currency code '%s' is not an active ISO 4217 code: it %s",
                       shown(code, s), r->why);
    }
    return at_fail(err, AT_ERR_NOT_FOUND, NULL,
                   "use an active ISO 4217 code such as USD, EUR, GBP or JPY",
                   "unknown currency code '%s'", shown(code, s));
}

size_t at_currency_count(void)
{
    return CURRENCY_COUNT;
}

const at_currency *at_currency_at(size_t index)
{
    return index < CURRENCY_COUNT ? &CURRENCIES[index] : NULL;
}

int at_currency_decimals(const at_currency *currency)
{
    if (currency->minor_units < 0 || currency->minor_units > AT_MONEY_DECIMALS)
        return AT_MONEY_DECIMALS;
    return currency->minor_units;
}

at_code at_currency_round(at_money amount, const at_currency *currency, at_rounding mode,
                          at_money *out, at_error *err)
{
    at_code c = at_money_round(amount, at_currency_decimals(currency), mode, out, err);
    if (c != AT_OK) {
        char where[16];
        snprintf(where, sizeof where, "currency %s", currency->code);
        at_error_prefix_where(err, where);
    }
    return c;
}
