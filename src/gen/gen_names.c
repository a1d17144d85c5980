/* gen_names.c - word lists for the demo company: geography (regions, areas, real cities with
 * their coordinates), personal names by culture, company-name parts, industries, titles. */
#include "gen/gen_names.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

const gen_region_info gen_regions[GEN_REGION_COUNT] = {
    {"NA", "North America", GEN_CUR_USD, -6},
    {"EMEA", "Europe, Middle East and Africa", GEN_CUR_EUR, 1},
    {"APAC", "Asia Pacific", GEN_CUR_USD, 8},
};

const char *const gen_currency_codes[GEN_CUR_COUNT] = {"USD", "EUR", "GBP"};

const gen_area_info gen_areas[] = {
    {"US-WEST", "US West", GEN_REGION_NA, "US", "CA|WA|OR|NV|AZ|CO|UT", 32},
    {"US-CENTRAL", "US Central", GEN_REGION_NA, "US", "TX|IL|MN|MI|MO|OH|WI", 28},
    {"US-EAST", "US East", GEN_REGION_NA, "US", "NY|MA|PA|GA|FL|NC|DC|NJ", 32},
    {"CANADA", "Canada", GEN_REGION_NA, "CA", NULL, 8},
    {"UKI", "UK and Ireland", GEN_REGION_EMEA, "GB|IE", NULL, 30},
    {"DACH", "DACH", GEN_REGION_EMEA, "DE|AT|CH", NULL, 25},
    {"FRBNL", "France and Benelux", GEN_REGION_EMEA, "FR|NL|BE", NULL, 20},
    {"SOUTH", "Southern Europe", GEN_REGION_EMEA, "ES|IT|PT", NULL, 13},
    {"NORDICS", "Nordics", GEN_REGION_EMEA, "SE|DK|NO|FI", NULL, 12},
    {"ANZ", "Australia and New Zealand", GEN_REGION_APAC, "AU|NZ", NULL, 35},
    {"JAPAN", "Japan", GEN_REGION_APAC, "JP", NULL, 25},
    {"SEA", "Southeast Asia", GEN_REGION_APAC, "SG|MY|ID", NULL, 20},
    {"INDIA", "India", GEN_REGION_APAC, "IN", NULL, 20},
};
const size_t gen_area_count = sizeof gen_areas / sizeof gen_areas[0];

const gen_city gen_cities[] = {
    {"San Francisco", "CA", "US", 0, 37774900, -122419400, 10},
    {"Los Angeles", "CA", "US", 0, 34052200, -118243700, 9},
    {"San Diego", "CA", "US", 0, 32715700, -117161100, 4},
    {"San Jose", "CA", "US", 0, 37338200, -121886300, 5},
    {"Seattle", "WA", "US", 0, 47606200, -122332100, 7},
    {"Portland", "OR", "US", 0, 45515200, -122678400, 3},
    {"Denver", "CO", "US", 0, 39739200, -104990300, 5},
    {"Phoenix", "AZ", "US", 0, 33448400, -112074000, 4},
    {"Salt Lake City", "UT", "US", 0, 40760800, -111891000, 3},
    {"Las Vegas", "NV", "US", 0, 36169900, -115139800, 2},
    {"Chicago", "IL", "US", 1, 41878100, -87629800, 10},
    {"Dallas", "TX", "US", 1, 32776700, -96797000, 8},
    {"Houston", "TX", "US", 1, 29760400, -95369800, 7},
    {"Austin", "TX", "US", 1, 30267200, -97743100, 6},
    {"Minneapolis", "MN", "US", 1, 44977800, -93265000, 4},
    {"Detroit", "MI", "US", 1, 42331400, -83045800, 3},
    {"St. Louis", "MO", "US", 1, 38627000, -90199400, 3},
    {"Columbus", "OH", "US", 1, 39961200, -82998800, 3},
    {"Milwaukee", "WI", "US", 1, 43038900, -87906500, 2},
    {"Kansas City", "MO", "US", 1, 39099700, -94578600, 2},
    {"New York", "NY", "US", 2, 40712800, -74006000, 14},
    {"Boston", "MA", "US", 2, 42360100, -71058900, 7},
    {"Philadelphia", "PA", "US", 2, 39952600, -75165200, 4},
    {"Atlanta", "GA", "US", 2, 33749000, -84388000, 5},
    {"Miami", "FL", "US", 2, 25761700, -80191800, 4},
    {"Charlotte", "NC", "US", 2, 35227100, -80843100, 3},
    {"Washington", "DC", "US", 2, 38907200, -77036900, 4},
    {"Pittsburgh", "PA", "US", 2, 40440600, -79995900, 2},
    {"Newark", "NJ", "US", 2, 40735700, -74172400, 2},
    {"Raleigh", "NC", "US", 2, 35779600, -78638200, 2},
    {"Toronto", "ON", "CA", 3, 43653200, -79383200, 8},
    {"Vancouver", "BC", "CA", 3, 49282700, -123120700, 5},
    {"Montréal", "QC", "CA", 3, 45501700, -73567300, 5},
    {"Calgary", "AB", "CA", 3, 51044700, -114071900, 3},
    {"Ottawa", "ON", "CA", 3, 45421500, -75699700, 2},
    {"London", "", "GB", 4, 51507400, -127800, 14},
    {"Manchester", "", "GB", 4, 53480800, -2242600, 4},
    {"Edinburgh", "", "GB", 4, 55953300, -3188300, 3},
    {"Birmingham", "", "GB", 4, 52486200, -1890400, 3},
    {"Bristol", "", "GB", 4, 51454500, -2587900, 2},
    {"Dublin", "", "IE", 4, 53349800, -6260300, 4},
    {"Berlin", "", "DE", 5, 52520000, 13405000, 6},
    {"München", "", "DE", 5, 48135100, 11582000, 6},
    {"Hamburg", "", "DE", 5, 53551100, 9993700, 4},
    {"Frankfurt am Main", "", "DE", 5, 50110900, 8682100, 4},
    {"Wien", "", "AT", 5, 48208200, 16373800, 3},
    {"Zürich", "", "CH", 5, 47376900, 8541700, 4},
    {"Paris", "", "FR", 6, 48856600, 2352200, 10},
    {"Lyon", "", "FR", 6, 45764000, 4835700, 3},
    {"Amsterdam", "", "NL", 6, 52367600, 4904100, 5},
    {"Rotterdam", "", "NL", 6, 51924400, 4477700, 2},
    {"Bruxelles", "", "BE", 6, 50850300, 4351700, 3},
    {"Madrid", "", "ES", 7, 40416800, -3703800, 5},
    {"Barcelona", "", "ES", 7, 41385100, 2173400, 4},
    {"Milano", "", "IT", 7, 45464200, 9190000, 5},
    {"Roma", "", "IT", 7, 41902800, 12496400, 3},
    {"Lisboa", "", "PT", 7, 38722300, -9139300, 2},
    {"Stockholm", "", "SE", 8, 59329300, 18068600, 4},
    {"København", "", "DK", 8, 55676100, 12568300, 3},
    {"Oslo", "", "NO", 8, 59913900, 10752200, 2},
    {"Helsinki", "", "FI", 8, 60169900, 24938400, 2},
    {"Sydney", "", "AU", 9, -33868800, 151209300, 7},
    {"Melbourne", "", "AU", 9, -37813600, 144963100, 6},
    {"Brisbane", "", "AU", 9, -27469800, 153025100, 3},
    {"Auckland", "", "NZ", 9, -36848500, 174763300, 2},
    {"Tokyo", "", "JP", 10, 35676200, 139650300, 8},
    {"Osaka", "", "JP", 10, 34693700, 135502300, 3},
    {"Singapore", "", "SG", 11, 1352100, 103819800, 6},
    {"Kuala Lumpur", "", "MY", 11, 3139000, 101686900, 3},
    {"Jakarta", "", "ID", 11, -6208800, 106845600, 3},
    {"Bengaluru", "", "IN", 12, 12971600, 77594600, 5},
    {"Mumbai", "", "IN", 12, 19076000, 72877700, 4},
    {"New Delhi", "", "IN", 12, 28613900, 77209000, 3},
};
const size_t gen_city_count = sizeof gen_cities / sizeof gen_cities[0];

const gen_segment_info gen_segments[GEN_SEG_COUNT] = {
    {"SMB", "Small Business", 10, 199},
    {"MM", "Mid-Market", 200, 1999},
    {"ENT", "Enterprise", 2000, 250000},
};

const char *const gen_industries[] = {
    "Software",      "Financial Services", "Insurance",          "Healthcare",
    "Life Sciences", "Manufacturing",      "Retail",             "Telecommunications",
    "Media",         "Logistics",          "Energy",             "Professional Services",
};
const size_t gen_industry_count = sizeof gen_industries / sizeof gen_industries[0];

static const char *const industry_nouns[][4] = {
    {"Systems", "Labs", "Software", "Technologies"},
    {"Capital", "Financial", "Bank", "Partners"},
    {"Insurance", "Assurance", "Mutual", "Underwriters"},
    {"Health", "Medical", "Care", "Clinics"},
    {"Biosciences", "Therapeutics", "Pharma", "Diagnostics"},
    {"Industries", "Manufacturing", "Components", "Machinery"},
    {"Retail", "Stores", "Brands", "Outfitters"},
    {"Telecom", "Networks", "Communications", "Mobile"},
    {"Media", "Studios", "Publishing", "Entertainment"},
    {"Logistics", "Freight", "Transport", "Shipping"},
    {"Energy", "Power", "Renewables", "Utilities"},
    {"Consulting", "Advisors", "Group", "Associates"},
};

int gen_country_currency(const char *c)
{
    if (strcmp(c, "GB") == 0)
        return GEN_CUR_GBP;
    static const char *const europe[] = {"IE", "DE", "AT", "CH", "FR", "NL", "BE", "ES",
                                         "IT", "PT", "SE", "DK", "NO", "FI"};
    for (size_t i = 0; i < sizeof europe / sizeof europe[0]; i++)
        if (strcmp(c, europe[i]) == 0)
            return GEN_CUR_EUR;
    return GEN_CUR_USD;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const first_en[] = {
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas",
    "Sarah", "Chris", "Karen", "Daniel", "Emily", "Matthew", "Olivia", "Anthony", "Ashley",
    "Mark", "Megan", "Ryan", "Rachel", "Kevin", "Laura", "Jason", "Hannah", "Tyler", "Grace",
    "Carlos", "Sofia", "Luis", "Maria", "Andre", "Aisha", "Wei", "Priya", "Omar", "Chloe"};
static const char *const last_en[] = {
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
    "Rodriguez", "Martinez", "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor",
    "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis",
    "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Nguyen", "Hill",
    "Green", "Adams", "Baker", "Nelson", "Carter", "Mitchell", "Patel", "Kim", "Chen",
    "O'Brien", "Murphy", "Campbell", "Evans", "Hughes"};
static const char *const first_de[] = {
    "Lukas", "Anna", "Jonas", "Lea", "Felix", "Sophie", "Maximilian", "Marie", "Leon",
    "Hannah", "Paul", "Laura", "Tobias", "Katharina", "Stefan", "Julia", "Jürgen", "Sabine",
    "Matthias", "Franziska", "Andreas", "Claudia", "Florian", "Lena"};
static const char *const last_de[] = {
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
    "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf",
    "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann"};
static const char *const first_fr[] = {
    "Camille", "Louis", "Léa", "Hugo", "Chloé", "Lucas", "Manon", "Gabriel", "Inès", "Jules",
    "Sarah", "Arthur", "Julie", "Nicolas", "Céline", "Mathieu", "Élodie", "Antoine",
    "Pauline", "Thomas"};
static const char *const last_fr[] = {
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
    "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David",
    "Bertrand", "Roux", "Vincent", "Fournier", "Janssens", "Peeters", "Maes", "Dupont"};
static const char *const first_nl[] = {"Daan", "Emma", "Sem", "Julia", "Lucas", "Mila",
                                       "Levi", "Tess", "Bram", "Sanne", "Jeroen", "Anouk",
                                       "Thijs", "Femke", "Ruben", "Lotte"};
static const char *const last_nl[] = {"de Jong", "Jansen", "de Vries", "van den Berg",
                                      "van Dijk", "Bakker", "Janssen", "Visser", "Smit",
                                      "Meijer", "de Boer", "Mulder", "de Groot", "Bos",
                                      "Vos", "Peters"};
static const char *const first_es[] = {
    "Lucía", "Hugo", "Martina", "Mateo", "Sofía", "Daniel", "María", "Pablo", "Paula",
    "Alejandro", "Carmen", "Javier", "Elena", "Diego", "Laura", "Sergio", "João", "Inês",
    "Tiago", "Beatriz"};
static const char *const last_es[] = {
    "García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez", "Pérez",
    "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Silva",
    "Santos", "Ferreira", "Pereira", "Costa", "Oliveira"};
static const char *const first_it[] = {"Francesco", "Sofia", "Alessandro", "Giulia",
                                       "Lorenzo", "Aurora", "Matteo", "Alice", "Leonardo",
                                       "Ginevra", "Marco", "Chiara", "Luca", "Federica",
                                       "Andrea", "Elisa"};
static const char *const last_it[] = {"Rossi", "Russo", "Ferrari", "Esposito", "Bianchi",
                                      "Romano", "Colombo", "Ricci", "Marino", "Greco",
                                      "Bruno", "Gallo", "Conti", "De Luca", "Mancini",
                                      "Costa"};
static const char *const first_nordic[] = {"Erik", "Astrid", "Lars", "Ingrid", "Mikael",
                                           "Sofie", "Anders", "Freja", "Johan", "Maja",
                                           "Niklas", "Elsa", "Mads", "Ida", "Oskar", "Aino",
                                           "Jukka", "Sanna"};
static const char *const last_nordic[] = {"Andersson", "Johansson", "Karlsson", "Nilsson",
                                          "Eriksson", "Larsson", "Hansen", "Jensen",
                                          "Nielsen", "Pedersen", "Olsen", "Berg", "Haugen",
                                          "Korhonen", "Virtanen", "Mäkinen", "Lindqvist",
                                          "Søndergaard"};
static const char *const first_jp[] = {"Haruto", "Yui", "Sota", "Hina", "Yuto", "Aoi",
                                       "Kenji", "Yuki", "Takashi", "Naoko", "Hiroshi",
                                       "Akiko", "Daiki", "Mei", "Ren", "Sakura"};
static const char *const last_jp[] = {"Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe",
                                      "Ito", "Yamamoto", "Nakamura", "Kobayashi", "Kato",
                                      "Yoshida", "Yamada", "Sasaki", "Matsumoto", "Inoue",
                                      "Kimura"};
static const char *const first_in[] = {"Aarav", "Ananya", "Vihaan", "Diya", "Arjun",
                                       "Isha", "Rohan", "Priya", "Aditya", "Kavya",
                                       "Rahul", "Sneha", "Vikram", "Meera", "Karan",
                                       "Pooja"};
static const char *const last_in[] = {"Sharma", "Verma", "Patel", "Gupta", "Reddy",
                                      "Iyer", "Nair", "Singh", "Kumar", "Rao", "Mehta",
                                      "Joshi", "Menon", "Das", "Chopra", "Bose"};
static const char *const first_sea[] = {"Wei Ling", "Jun Jie", "Mei Xin", "Zhi Hao",
                                        "Nur Aisyah", "Muhammad", "Siti", "Ahmad", "Putri",
                                        "Budi", "Hui Min", "Kai Wen", "Rizal", "Dewi"};
static const char *const last_sea[] = {"Tan", "Lim", "Lee", "Ng", "Wong", "Goh", "Chua",
                                       "Abdullah", "Rahman", "Ismail", "Santoso",
                                       "Wijaya", "Halim", "Teo"};

typedef struct culture {
    const char *const *first;
    size_t nfirst;
    const char *const *last;
    size_t nlast;
} culture;

#define CULTURE(f, l) {f, COUNT(f), l, COUNT(l)}

static culture culture_of(const char *c)
{
    static const culture en = CULTURE(first_en, last_en), de = CULTURE(first_de, last_de),
                         fr = CULTURE(first_fr, last_fr), nl = CULTURE(first_nl, last_nl),
                         es = CULTURE(first_es, last_es), it = CULTURE(first_it, last_it),
                         nordic = CULTURE(first_nordic, last_nordic),
                         jp = CULTURE(first_jp, last_jp), in = CULTURE(first_in, last_in),
                         sea = CULTURE(first_sea, last_sea);
    if (!strcmp(c, "DE") || !strcmp(c, "AT") || !strcmp(c, "CH"))
        return de;
    if (!strcmp(c, "FR") || !strcmp(c, "BE"))
        return fr;
    if (!strcmp(c, "NL"))
        return nl;
    if (!strcmp(c, "ES") || !strcmp(c, "PT"))
        return es;
    if (!strcmp(c, "IT"))
        return it;
    if (!strcmp(c, "SE") || !strcmp(c, "DK") || !strcmp(c, "NO") || !strcmp(c, "FI"))
        return nordic;
    if (!strcmp(c, "JP"))
        return jp;
    if (!strcmp(c, "IN"))
        return in;
    if (!strcmp(c, "SG") || !strcmp(c, "MY") || !strcmp(c, "ID"))
        return sea;
    return en;
}

void gen_person_name(gen_rng *rng, const char *country, char *first, size_t first_size,
                     char *last, size_t last_size)
{
    culture cu = culture_of(country);
    snprintf(first, first_size, "%s", cu.first[gen_below(rng, (uint32_t)cu.nfirst)]);
    snprintf(last, last_size, "%s", cu.last[gen_below(rng, (uint32_t)cu.nlast)]);
}

static const char *const name_roots[] = {
    "Blue",    "North",   "Silver",  "Iron",    "Bright",  "Clear",   "Summit",  "Harbor",
    "Cedar",   "Granite", "Apex",    "Vector",  "Nova",    "Orbit",   "Pioneer", "Beacon",
    "Crest",   "Delta",   "Ever",    "Falcon",  "Golden",  "Horizon", "Key",     "Lumen",
    "Maple",   "Meridian", "Oak",    "Pinnacle", "Quantum", "Red",    "Sterling", "Tidal",
    "Union",   "Vantage", "Willow",  "Zenith",  "Atlas",   "Cobalt",  "Ember",   "Juniper"};
static const char *const name_tails[] = {"", "wave", "point", "stone", "field", "bridge",
                                         "line", "gate", "ridge", "path", "works", "view"};

static const char *country_suffix(gen_rng *rng, const char *c)
{
    static const struct {
        const char *country;
        const char *suffix[2];
    } table[] = {
        {"US", {"Inc.", "LLC"}},     {"CA", {"Inc.", "Ltd."}},      {"GB", {"Ltd", "plc"}},
        {"IE", {"Ltd", "DAC"}},      {"DE", {"GmbH", "AG"}},        {"AT", {"GmbH", "AG"}},
        {"CH", {"AG", "GmbH"}},      {"FR", {"SAS", "SA"}},         {"BE", {"NV", "SA"}},
        {"NL", {"B.V.", "N.V."}},    {"ES", {"S.L.", "S.A."}},      {"IT", {"S.r.l.", "S.p.A."}},
        {"PT", {"Lda", "S.A."}},     {"SE", {"AB", "AB"}},          {"DK", {"A/S", "ApS"}},
        {"NO", {"AS", "ASA"}},       {"FI", {"Oy", "Oyj"}},         {"AU", {"Pty Ltd", "Ltd"}},
        {"NZ", {"Ltd", "Ltd"}},      {"JP", {"K.K.", "G.K."}},      {"SG", {"Pte Ltd", "Pte Ltd"}},
        {"MY", {"Sdn Bhd", "Berhad"}}, {"ID", {"Tbk", "Tbk"}},      {"IN", {"Pvt Ltd", "Ltd"}},
    };
    uint32_t k = gen_below(rng, 4) == 0 ? 1 : 0;
    for (size_t i = 0; i < COUNT(table); i++)
        if (strcmp(table[i].country, c) == 0)
            return table[i].suffix[k];
    return "Inc.";
}

void gen_company_name(gen_rng *rng, int industry, const char *country, char *buf, size_t size)
{
    const char *root = name_roots[gen_below(rng, COUNT(name_roots))];
    const char *tail = name_tails[gen_below(rng, COUNT(name_tails))];
    const char *noun = industry_nouns[industry][gen_below(rng, 4)];
    const char *suffix = country_suffix(rng, country);
    snprintf(buf, size, "%s%s %s %s", root, tail, noun, suffix);
}

/* Folds the accented letters our name lists use to ASCII. */
static const struct {
    const char *utf8;
    const char *ascii;
} folds[] = {
    {"á", "a"}, {"à", "a"}, {"ä", "ae"}, {"å", "a"}, {"æ", "ae"}, {"ç", "c"}, {"é", "e"},
    {"è", "e"}, {"ê", "e"}, {"í", "i"}, {"ñ", "n"}, {"ó", "o"}, {"ö", "oe"}, {"ø", "o"},
    {"ú", "u"}, {"ü", "ue"}, {"ß", "ss"}, {"É", "e"}, {"Ö", "oe"}, {"Ü", "ue"}, {"Ä", "ae"},
};

void gen_email_local(const char *first, const char *last, char *buf, size_t size)
{
    size_t k = 0;
    const char *parts[2] = {first, last};
    for (int p = 0; p < 2; p++) {
        if (p == 1 && k + 1 < size)
            buf[k++] = '.';
        for (const char *s = parts[p]; *s && k + 3 < size;) {
            unsigned char ch = (unsigned char)*s;
            if (ch < 0x80) {
                if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
                    buf[k++] = (char)ch;
                else if (ch >= 'A' && ch <= 'Z')
                    buf[k++] = (char)(ch - 'A' + 'a');
                s++;
                continue;
            }
            bool done = false;
            for (size_t i = 0; i < COUNT(folds) && !done; i++) {
                size_t n = strlen(folds[i].utf8);
                if (strncmp(s, folds[i].utf8, n) == 0) {
                    for (const char *a = folds[i].ascii; *a && k + 3 < size; a++)
                        buf[k++] = *a;
                    s += n;
                    done = true;
                }
            }
            if (!done)
                s++;
        }
    }
    buf[k] = '\0';
}

const char *const gen_seniority_names[GEN_SEN_COUNT] = {"c_level", "vp",    "director",
                                                        "manager", "staff", "unknown"};

const char *gen_contact_title(gen_rng *rng, int seniority)
{
    static const char *const titles[GEN_SEN_COUNT][4] = {
        {"Chief Revenue Officer", "Chief Financial Officer", "Chief Operating Officer",
         "Chief Executive Officer"},
        {"VP Sales", "VP Finance", "VP Revenue Operations", "VP Operations"},
        {"Director of Sales Operations", "Director of FP&A", "Director of Revenue Operations",
         "Director of Sales"},
        {"Sales Operations Manager", "Revenue Operations Manager", "Finance Manager",
         "Compensation Manager"},
        {"Sales Operations Analyst", "Financial Analyst", "Compensation Analyst",
         "Business Analyst"},
        {"", "", "", ""},
    };
    if (seniority < 0 || seniority >= GEN_SEN_COUNT)
        return "";
    return titles[seniority][gen_below(rng, 4)];
}
