#include "scan/scan.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <fmt/format.h>
#include <re2/re2.h>
#include <unistd.h>
#include <zip.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "scan/internal/csv.h"
#include "scan/internal/gate.h"
#include "scan/internal/names.h"
#include "scan/internal/rules.h"
#include "scan/internal/validate.h"
#include "scan/internal/word_table.h"
#include "scan/internal/office.h"
#include "scan/zip_testing.h"

namespace steward::scan {
namespace {

using internal::AbaValid;
using internal::CardValid;
using internal::IbanValid;
using internal::NationalIdCountry;

struct Found {
  std::string detector, value;
  friend bool operator==(const Found&, const Found&) = default;
  friend std::ostream& operator<<(std::ostream& os, const Found& f) { return os << f.detector << ":" << f.value; }
};

std::vector<Found> ScanAll(const Engine& engine, std::string_view text, double min_confidence = 0.5) {
  std::vector<Found> out;
  auto session = engine.NewSession();
  session->Scan(text, [&](const Match& m) {
    if (m.confidence >= min_confidence)
      out.push_back({engine.detectors()[m.detector].id, std::string(text.substr(m.start, m.end - m.start))});
  });
  return out;
}

// Compiled Vectorscan databases are cached between the test processes ctest starts.
std::string CacheDir() { return testing::TempDir() + "steward-scan-cache"; }

class ScanTest : public testing::TestWithParam<MatcherKind> {
 protected:
  static std::shared_ptr<const Engine> For(MatcherKind kind) {
    static std::shared_ptr<const Engine> engines[3];
    auto& e = engines[static_cast<int>(kind)];
    if (!e) {
      auto built = Engine::Build({.matcher = kind, .cache_dir = CacheDir()});
      EXPECT_TRUE(built) << built.error().message;
      e = *built;
    }
    return e;
  }
  const Engine& engine() { return *For(GetParam()); }
};

// Positives: the text holds exactly this finding (at confidence >= 0.5).
struct Positive {
  const char* text;
  const char* detector;
  const char* value;
};
const Positive kPositives[] = {
    {"contact jane.doe+news@mail.acme-shop.co.uk today", "email", "jane.doe+news@mail.acme-shop.co.uk"},
    {"call +1-984-182-0190 now", "phone", "+1-984-182-0190"},
    {"tel: (415) 555-2671", "phone", "(415) 555-2671"},
    {"UK mobile 07700 900123 ok", "phone", "07700 900123"},
    {"Paris: +33 1 42 68 53 00", "phone", "+33 1 42 68 53 00"},
    {"Berlin +49 30 901820", "phone", "+49 30 901820"},
    {"Zurich +41 (0)69 979 80 58", "phone", "+41 (0)69 979 80 58"},
    {"Mumbai +91 98765 43210", "phone", "+91 98765 43210"},
    {"Tokyo +81 3-1234-5678", "phone", "+81 3-1234-5678"},
    {"Sydney +61 2 9374 4000", "phone", "+61 2 9374 4000"},
    {"Sao Paulo +55 11 91234-5678", "phone", "+55 11 91234-5678"},
    {"Madrid +34 912 345 678", "phone", "+34 912 345 678"},
    {"Amsterdam +31 20 624 1111", "phone", "+31 20 624 1111"},
    {"Mexico +52 55 1234 5678", "phone", "+52 55 1234 5678"},
    {"Here's my SSN: 460-89-9847", "us_ssn", "460-89-9847"},
    {"ITIN 912-70-1234 on file", "us_itin", "912-70-1234"},
    {"What is the limit for card 4454794511390933?", "credit_card", "4454794511390933"},
    {"amex 3782 822463 10005", "credit_card", "3782 822463 10005"},
    {"visa 4111-1111-1111-1111 exp", "credit_card", "4111-1111-1111-1111"},
    {"iban GB82 WEST 1234 5698 7654 32 please", "iban", "GB82 WEST 1234 5698 7654 32"},
    {"to DE89370400440532013000.", "iban", "DE89370400440532013000"},
    {"routing number 021000021 acct", "aba_routing", "021000021"},
    {"bank account number: 12345678901", "us_bank_account", "12345678901"},
    {"client 203.0.113.195 connected", "ipv4", "203.0.113.195"},
    {"from 2001:db8:85a3::8a2e:370:7334 at", "ipv6", "2001:db8:85a3::8a2e:370:7334"},
    {"peer 2001:0db8:85a3:0000:0000:8a2e:0370:7334 up", "ipv6", "2001:0db8:85a3:0000:0000:8a2e:0370:7334"},
    {"bound to ::ffff:c000:280 now", "ipv6", "::ffff:c000:280"},
    {"hw 00:1a:2b:3c:4d:5e up", "mac_address", "00:1a:2b:3c:4d:5e"},
    {"IMEI: 490154203237518", "imei", "490154203237518"},
    {"sim 8944500102198304826 active", "iccid", "8944500102198304826"},
    {"DOB: 03/14/1985", "date_of_birth", "03/14/1985"},
    {"born on March 3, 1990 in", "date_of_birth", "March 3, 1990"},
    {"Your date of birth is on file as 1987-03-12.", "date_of_birth", "1987-03-12"},  // a few words between
    {"DOB was recorded as 03/12/1987", "date_of_birth", "03/12/1987"},
    {"Applicant\nDate of birth:\n  03/12/1987\n", "date_of_birth", "03/12/1987"},  // under its label, as forms lay it out
    {"Born on\r\nMarch 3, 1990\r\n", "date_of_birth", "March 3, 1990"},
    // Other values under their label.
    {"Employee\nSSN:\n536227000\n", "us_ssn", "536227000"},
    {"Social Security Number\r\n  536 22 7000\r\n", "us_ssn", "536 22 7000"},
    {"Passport No.\nX1234567\n", "passport", "X1234567"},
    {"Driver's License Number:\nD123-4567-8901\n", "drivers_license", "D123-4567-8901"},
    {"DL #\n  S5301234\n", "drivers_license", "S5301234"},
    {"Bank account\n000123456789\n", "us_bank_account", "000123456789"},
    {"Acct. no.:\n4400123456\n", "us_bank_account", "4400123456"},
    {"SS#:\n536227000\n", "us_ssn", "536227000"},
    {"Account #\n000123456789\n", "us_bank_account", "000123456789"},
    {"They had 3: Gaetane, Hannah and Anthony", "person_name", "Gaetane"},  // one finding per person
    {"They had 3: Gaetane, Hannah and Anthony", "person_name", "Hannah"},
    {"They had 3: Gaetane, Hannah and Anthony", "person_name", "Anthony"},
    {"Mary, Isabel and Sofia came", "person_name", "Sofia"},  // places too, but frequent first names
    {"I met Paris Hilton", "person_name", "Paris Hilton"},
    {"a song by Marrero & Murphy was", "person_name", "Murphy"},
    {"ships to 1600 Pennsylvania Avenue NW", "us_street_address", "1600 Pennsylvania Avenue"},
    {"address: 1570 Blanshard, Victoria", "us_street_address", "1570 Blanshard"},
    {"ship to Mattenstrasse 108, Sissach", "intl_street_address", "Mattenstrasse 108"},
    {"Koskikatu 25 Apt. 864", "intl_street_address", "Koskikatu 25"},
    {"Michaelkirchstr. 15, Berlin", "intl_street_address", "Michaelkirchstr. 15"},
    {"lives at Kossuth utca 5 now", "intl_street_address", "Kossuth utca 5"},
    {"Prenzlauer Allee 20, Berlin", "intl_street_address", "Prenzlauer Allee 20"},
    {"Dronning \xc3\x85sas vei 192", "intl_street_address", "\xc3\x85sas vei 192"},
    {"Pr\xc3\xa6stev\xc3\xa6nget 15, Viby", "intl_street_address", "Pr\xc3\xa6stev\xc3\xa6nget 15"},
    {"Via Pisanelli 104, Ravenna", "intl_street_address", "Via Pisanelli 104"},
    {"Rua do Arenque 1634, Lisboa", "intl_street_address", "Rua do Arenque 1634"},
    {"ul. Elbl\xc4\x85ska 97, Olsztyn", "intl_street_address", "ul. Elbl\xc4\x85ska 97"},
    {"at 96 rue de Penthi\xc3\xa8vre", "intl_street_address", "96 rue de Penthi\xc3\xa8vre"},
    {"66 Avenue des Tuileries, 75001", "intl_street_address", "66 Avenue des Tuileries"},
    {"address: M\xc3\xa4nni 12", "intl_street_address", "M\xc3\xa4nni 12"},
    {"Springfield, IL 62704-1234", "us_zip", "62704-1234"},
    {"London SW1A 1AA", "uk_postcode", "SW1A 1AA"},
    {"at 37.774929, -122.419416 yesterday", "geolocation", "37.774929, -122.419416"},
    {"passport no. X1234567 expires", "passport", "X1234567"},
    {"driver's license: D1234567", "drivers_license", "D1234567"},
    {"My driver's license number is F162823540116", "drivers_license", "F162823540116"},
    {"my passport number is X1234567", "passport", "X1234567"},
    {"my zip code is 35350", "us_zip", "35350"},
    {"My name is Emily Johnson", "person_name", "Emily Johnson"},
    {"Signed by Robert Fitzgerald yesterday", "person_name", "Robert Fitzgerald"},
    {"thanks, Jennifer.", "person_name", "Jennifer"},
    {"shipped to James Brown on Monday", "person_name", "James Brown"},
    {"cc Aurelio Miller today", "person_name", "Aurelio Miller"},
    {"What is the limit for card 501864667909?", "credit_card", "501864667909"},  // Maestro, twelve digits
    {"What's your credit card? 3598899323053410", "credit_card", "3598899323053410"},
    {"desk 463-612-6138x036 today", "phone", "463-612-6138x036"},
    {"or +1-903-140-4508 ext. 769", "phone", "+1-903-140-4508 ext. 769"},
    {"They're not answering at 78 651 450", "phone", "78 651 450"},
    {"Can someone call me on 9472 7916? Thanks", "phone", "9472 7916"},
    {"phone 5552671", "phone", "5552671"},  // the phone word inside the match is its context
    {"hotel phone 5552671", "phone", "5552671"},            // after a match rejected for "tel" in "hotel"
    {"database routing 021000021", "aba_routing", "021000021"},  // after one rejected for "aba" in "database"
    {"They're not answering at 71-33-52-22", "phone", "71-33-52-22"},
    // Under their label, alone on their line, as forms and signatures write them; or with
    // their kind after them.
    {"Personal Info:\nPhone:\n467 3395\n\nE-mail:", "phone", "467 3395"},
    {"Mobile phone number:\r\n  51 516 33 75\r\n", "phone", "51 516 33 75"},
    {"Fax\n60-56-85-91", "phone", "60-56-85-91"},
    {"APO AA 61487\n781 1704 office\n", "phone", "781 1704"},
    {"28-64-66-98 office\n930.167.3943 fax\n", "phone", "930.167.3943"},
    {"and will call you on (415)\r\n  555-0132.", "phone", "(415)\r\n  555-0132"},  // wrapped after its area code
    {"personnummer: 760211-4105", "national_id", "760211-4105"},
    {"Social Insurance Number 727 633 539 on file", "national_id", "727 633 539"},
    {"NIR 2791269679323 49", "national_id", "2791269679323 49"},
    {"national insurance no. KY 97 49 93 A", "national_id", "KY 97 49 93 A"},
    {"CPF: 308.271.618-08", "national_id", "308.271.618-08"},
    {"CPR-nr. 230883-1143", "national_id", "230883-1143"},  // also reads as a phone number; the scheme's name wins
    {"codice fiscale: RSSMRA85T10A562S", "national_id", "RSSMRA85T10A562S"},
    {"Cod. Fisc. RSSMRA85T10A56NH", "national_id", "RSSMRA85T10A56NH"},  // a digit swapped for a letter (omocodia)
    {"codice fiscale: RSSMRA85T50A562W", "national_id", "RSSMRA85T50A562W"},  // a woman's: her day plus 40
    {"SA ID number 800101 5009 087", "national_id", "800101 5009 087"},
    {"NIR 1 85 05 2A 004 084 95", "national_id", "1 85 05 2A 004 084 95"},  // born in Corsica
    {"Hanne I. Kreutzmann from Can Capital is speaking", "person_name", "Hanne I. Kreutzmann"},
    {"Hunter Smith called", "person_name", "Hunter Smith"},  // a word, but a frequent first name
    {"User: Maja S Hermansen", "person_name", "Maja S Hermansen"},
    {"Bot: What's your last name? Nielsen", "person_name", "Nielsen"},
    {"speakers include Cleopatra Mordvinova and others", "person_name", "Cleopatra Mordvinova"},
    {"verses from Emily Lindqvist's Cautionary Tales", "person_name", "Emily Lindqvist's"},
    {"met Maria Zako\xc4\x8d today", "person_name", "Maria Zako\xc4\x8d"},  // the whole word, its UTF-8 letter too
    {"call T\xc3\xb3mas Str\xc3\xb6m today", "person_name", "T\xc3\xb3mas Str\xc3\xb6m"},  // Tómas Ström: as spelt in the lists
    {"met Željko Živković there", "person_name", "Željko Živković"},
    {"my name is Éva", "person_name", "Éva"},
    {"from Åsa Ström, yesterday", "person_name", "Åsa Ström"},
    // Surnames the US lists lack, by their endings.
    {"Jarmila Fiedlerov\xc3\xa1 called", "person_name", "Jarmila Fiedlerov\xc3\xa1"},
    {"I met Dragan Jerkovi\xc4\x87 today", "person_name", "Dragan Jerkovi\xc4\x87"},
    {"from Halldora Steinarsd\xc3\xb3ttir, yesterday", "person_name", "Halldora Steinarsd\xc3\xb3ttir"},
    {"signed Yevgenia Dolgorukova", "person_name", "Yevgenia Dolgorukova"},
    // A surname alone, on the line of the full name, before or after it.
    {"directed by Maciej Borkowski and starring Borkowski", "person_name", "Borkowski"},
    {"that Kaczmarek was influenced by a song Bonifacy Kaczmarek sang", "person_name", "Kaczmarek"},
    {"Adam McDowell wrote it (though McDowell's song was older)", "person_name", "McDowell"},
    // A speaker in a dialogue where another line's speaker is a known name.
    {"Ubul: What a wife.\nNicole: Remember me?", "person_name", "Ubul"},
    // Right after a role; the second and third of three capitalized words after a common word.
    {"Producer Liviana Palerma explained", "person_name", "Liviana Palerma"},
    {"The Steffen Mauer version recorded", "person_name", "Steffen Mauer"},
    // A year before a name is no house number ("Green" is a street suffix too).
    {" 2009 Michael A. Green <mgreen@mail.example.org>", "person_name", "Michael A. Green"},
    {"Copyright 2012-2013 Peter Michael Green", "person_name", "Peter Michael Green"},
    // Greetings and sign-offs: the word after them is a name, known or not.
    {"Hi Enrico, thanks for reaching out.", "person_name", "Enrico"},
    {"Hello Mehrudin,", "person_name", "Mehrudin"},
    {"Thanks, Akifumi", "person_name", "Akifumi"},
    {"Thank you Dzhambek!", "person_name", "Dzhambek"},
    {"Kind regards, Quionia Vasquez", "person_name", "Quionia Vasquez"},
    {"Hi Mark, the invoice is attached", "person_name", "Mark"},  // an English word, but a first name here
    {"Hello LaShonda,", "person_name", "LaShonda"},                  // a capital inside after a name's prefix
    {"Best regards,\nQuionia", "person_name", "Quionia"},                 // the line under a sign-off
    {"Yours sincerely,\r\n  Irenke S\xc3\xb6r\xc3\xb6s  \r\n", "person_name", "Irenke S\xc3\xb6r\xc3\xb6s"},
    // A value under a key that names a person, in JSON, key=value logs and XML.
    {"{\"id\":1,\"first_name\":\"Quionia\",\"last_name\":\"Vasquez\"}", "person_name", "Quionia"},
    {"INFO order placed customer_name=\"Akifumi Tanaka\" total=12.00", "person_name", "Akifumi Tanaka"},
    {"<lastName>Elomo</lastName>", "person_name", "Elomo"},
    {"{\"name\": \"Rubija Libera\xc5\xa1" "ar\"}", "person_name", "Rubija Libera\xc5\xa1" "ar"},  // two words under "name"
    {"Done, thanks Bill", "person_name", "Bill"},                       // lower case, starting a clause
    {"cc: Irenke S\xc3\xb6r\xc3\xb6s", "person_name", "Irenke S\xc3\xb6r\xc3\xb6s"},      // a mail's field, then two unknown words
    {"Ticket assigned to Julcsa K\xc3\xa1rp\xc3\xa1thy", "person_name", "Julcsa K\xc3\xa1rp\xc3\xa1thy"},
    {"Agent Shovda Kerimov closed the ticket", "person_name", "Shovda Kerimov"},
    {"Please contact Satu Elomo at extension 4", "person_name", "Satu Elomo"},  // after a verb only people take
    {"Reported by Souma Ohsawa.", "person_name", "Souma Ohsawa"},
    {"I spoke with Satu Elomo today", "person_name", "Satu Elomo"},
    {"German Garcia joined", "person_name", "German Garcia"},            // a language alone, a name with a surname
    // The display name of an address: unknown words, particles, a middle initial.
    {"From: Rubija Libera\xc5\xa1" "ar <rubija@mail.example.org>", "person_name", "Rubija Libera\xc5\xa1" "ar"},
    {"Author: TORRI Vincent <torri@doursse.example>", "person_name", "TORRI Vincent"},
    {"Marco d'Itri <md@linux.example>", "person_name", "Marco d'Itri"},
    {"Signed-off-by: Ander Conselvan de Oliveira <a@x.example>", "person_name", "Ander Conselvan de Oliveira"},
    {"Junio C Hamano <gitster@pobox.example>", "person_name", "Junio C Hamano"},
    {"\"Quionia Vasquez\" <q@x.example>", "person_name", "Quionia Vasquez"},
    {"Thanks To Alan Smith <alan@x.example>", "person_name", "Alan Smith"},
    {" * Author Balbir Singh <balbir@linux.example>", "person_name", "Balbir Singh"},  // English words before two
    // A longer name around a shorter one found is kept whole.
    {"Louis-Francis Ratt\xc3\xa9-Boulianne <lfrb@collabora.example>", "person_name", "Louis-Francis Ratt\xc3\xa9-Boulianne"},
    {"a card from Mary, John and Paul", "person_name", "Mary"},  // people: frequent first names
    // A dialling prefix or a country code before a number is no longer run.
    {"ring 21 284 698 2548 today", "phone", "284 698 2548"},
    {"Phone:\n21 284 698 2548", "phone", "21 284 698 2548"},  // under its label, the line is the number
    {"001-518-640-0854 mobile", "phone", "518-640-0854"},
    {"Your ITIN 912701234 is on file", "us_itin", "912701234"},
    {"card=4454794511390933&exp=12", "credit_card", "4454794511390933"},
    {"Jan Nijtmans wrote it", "person_name", "Jan Nijtmans"},  // a month's short name, not next to a number
    {"thanks to Mary-Kate today", "person_name", "Kate"},     // a hyphenated first name
    {"Thanks Maria, OK see you", "person_name", "Maria"},     // "OK" names a state only before a ZIP
    {"In 2021 Jan Novak joined", "person_name", "Jan Novak"},
    // Lower case, after a phrase that names.
    {"my name is lena andersson.", "person_name", "lena andersson"},
    {"you can call me naomi", "person_name", "naomi"},
    {"Sometimes people call me Csan\xc3\xa1" "d", "person_name", "Csan\xc3\xa1" "d"},
    {"write to o.brien+news@mail.example-isp.co.uk today", "email", "o.brien+news@mail.example-isp.co.uk"},
    {"paid to 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 then", "crypto_wallet", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"},
    {"or bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "crypto_wallet", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"},
    {"eth wallet 0x52908400098527886e0f7030069857d2e4169ee7", "crypto_wallet", "0x52908400098527886e0f7030069857d2e4169ee7"},
    {"client ip 1.2.3.4 connected", "ipv4", "1.2.3.4"},  // version-like, but after an address word
    {"gateway 10.0.0.1 down", "ipv4", "10.0.0.1"},       // a private network's
    {"from 166.5.4.7 at noon", "ipv4", "166.5.4.7"},     // small parts, but no version's first part
    {"Phone: 1-703-847-0040 ext 103", "phone", "1-703-847-0040 ext 103"},
    {"PASSWORD=hunter22", "credential", "hunter22"},
    {"hw 00-1a-2b-3c-4d-5e up", "mac_address", "00-1a-2b-3c-4d-5e"},
    {"router 0011.2233.44ff up", "mac_address", "0011.2233.44ff"},
    {"at 37.7749, -122.4194 today", "geolocation", "37.7749, -122.4194"},
    {"1042,37.7749,-122.4194,1700000000", "geolocation", "37.7749,-122.4194"},  // a CSV row's position
    {"Card No.4454794511390933", "credit_card", "4454794511390933"},
    {"mac:00:1a:2b:3c:4d:5e up", "mac_address", "00:1a:2b:3c:4d:5e"},   // a key, not a byte, before it
    {"host:2001:db8::8a2e:370:7334 up", "ipv6", "2001:db8::8a2e:370:7334"},
    {"aws AKIAIOSFODNN7EXAMPLE key", "credential", "AKIAIOSFODNN7EXAMPLE"},
    {"db_password=Tr0ub4dor&3x", "credential", "Tr0ub4dor"},
    // Values under a key in structured logs: the key is the context.
    {R"({"id":1,"zip":"94110"})", "us_zip", "94110"},
    {"postal_code=10001-1234 ok", "us_zip", "10001-1234"},
    {R"({"passport_number": "X12345678"})", "passport", "X12345678"},
    {R"({"birth_date":"03/12/1990"})", "date_of_birth", "03/12/1990"},
    {"date_of_birth=1984-03-12", "date_of_birth", "1984-03-12"},
    {"Billing address: Sara Schwarz", "person_name", "Sara Schwarz"},  // an address starts with its person
    {R"({"social_security_number":"536227000"})", "us_ssn", "536227000"},
    {R"({"account_number":"000123456789"})", "us_bank_account", "000123456789"},
    {R"({"drivers_license":"D1234567"})", "drivers_license", "D1234567"},
    {R"({"latitude":37.77493,"longitude":-122.41942})", "geolocation", "37.77493"},  // each value its own finding
    {R"({"latitude":37.77493,"longitude":-122.41942})", "geolocation", "-122.41942"},
    {"GET /near?lat=48.85837&lng=2.29448 200", "geolocation", "2.29448"},
    // A form's label and its value, apart by the blanks that align its columns (a PDF's text).
    {"SSN               536227000", "us_ssn", "536227000"},
    {"Bank account      000123456789", "us_bank_account", "000123456789"},
    {"Passport No.      X12345678", "passport", "X12345678"},
    {"Driver license\t\t\tD1234567", "drivers_license", "D1234567"},
    // A mail's quote attribution.
    {"On Tue, Mar 3, 2020 at 10:14 AM Quionia Vasquez wrote:", "person_name", "Quionia Vasquez"},
    {"> Enrico wrote:", "person_name", "Enrico"},
    {"Le mar. 3 mars 2020 \xc3\xa0 10:14, Akifumi Tanaka a \xc3\xa9" "crit :", "person_name", "Akifumi Tanaka"},
    {"Am 03.03.2020 um 10:14 schrieb Rubija Libers\xc5\xa1" "ar:", "person_name", "Rubija Libers\xc5\xa1" "ar"},
    {"\t* Lib/smtplib.py: Per Cederqvist writes:", "person_name", "Per Cederqvist"},
};

TEST_P(ScanTest, FindsEachKindAtItsSpan) {
  for (const Positive& p : kPositives) {
    auto found = ScanAll(engine(), p.text);
    EXPECT_THAT(found, testing::Contains(Found{p.detector, p.value})) << p.text;
  }
}

// Near misses and negatives: nothing of this kind may be reported.
struct Negative {
  const char* text;
  const char* detector;
};
const Negative kNegatives[] = {
    {"order 4454794511390934 shipped", "credit_card"},       // fails Luhn
    {"gift card 0000000000000000 unused", "credit_card"},     // one digit
    {"card 3598899323053411 on file", "credit_card"},          // fails Luhn
    {"ISBN 978-0-306-40615-7 in stock", "credit_card"},
    {"ISBN 9780306406157", "credit_card"},
    {"running version 1.2.3.4 of the agent", "ipv4"},
    {"build v10.0.0.1 released", "ipv4"},
    {"oid 1.3.6.1.4.1.2021", "ipv4"},
    {"address 999.10.10.10", "ipv4"},
    {"dpkg (1.16.0.3) unstable; urgency=medium", "ipv4"},          // a version number
    {"Git 1.7.7.1", "ipv4"},
    {"deps: upgrade V8 to 4.5.103.35", "ipv4"},
    {"listening on 127.0.0.1:8080", "ipv4"},                      // this host names no one
    {"released as 0.93.42.3 or earlier", "ipv4"},
    // A certificate's bytes, not addresses; pairs of decimal digits in an SVG path.
    {"Session ID: 9E:5E:FC:09:2A:4E:2A:3D:22:44:68:42:C3:F6:2D:AB", "ipv6"},
    {"Session ID: 9E:5E:FC:09:2A:4E:2A:3D:22:44:68:42:C3:F6:2D:AB", "mac_address"},
    {"keyid FD:6E:9B:0E:F3:98:BC:D9", "ipv6"},
    {"<path d=\"M0 66-12-29-13-47-32\"/>", "mac_address"},
    // Code, not secrets.
    {"PWD:=$(strip $(wildcard x))", "credential"},
    {"export PWD=/home/user/src", "credential"},
    {"c->password = gnome_keyring_memory_strdup(value);", "credential"},
    {"fUserName,fPassword : string;", "credential"},
    {"password: PChar = 'testpass';", "credential"},
    {"ext master secret: ensure we disable it", "credential"},
    {"sha1 0xfbdb1d1b18aa6c08324b7d64b71fb76370690e1d", "crypto_wallet"},  // forty hex digits alone
    // Numbers in code: decimals, projection parameters, format macros.
    {"(lat_0,34.75)(lon_0,-115.5833333333333)(k,0.99)", "credit_card"},
    {"{ 1.0e-275, -4096.0004096000002, 1277.4573863636363, 1292}", "credit_card"},
    {"(to_meter,0.3047997101815088)(no_defs)", "credit_card"},
    {"(units,us-ft)(x_0,304800.6096)(y_0,0)", "phone"},
    {"{0.7597, -0.00798324, -3.5971e-05, -2.27626e-06},", "geolocation"},
    {"(towgs84,-199.87,74.79,246.62,1.9072,0.5129,-1.7596,2.8316)", "geolocation"},
    {"# define PRIdLEAST16 \"d\"", "drivers_license"},
    {" *  6666.5555.5555.5544.4444.4443.3333.3333 ... 11", "mac_address"},
    {"password: typing.Optional[bytes],", "credential"},
    {"SEC_ERROR_BAD_PASSWORD = SEC_ERROR_BASE + 15,", "credential"},
    {" *  224.0.0.0/24 or ff02::1", "ipv4"},                         // multicast names no one
    {"# Serial: 6643877497813316402", "credit_card"},
    {"BOOST_MATH_BIG_CONSTANT(T, 113, 50425858518481.7497071917028793820058),", "credit_card"},
    {"(search for \"Message-Id: <9302181759.AA25477 at fits.cv.nrao.edu>\")", "phone"},
    {"distribution (1998) ISBN 0387 98618 9, page 6.", "phone"},
    {"ssn lookup failed for customer 536227000", "us_ssn"},  // words between: not the label's value
    {"SSN                                        536227000", "us_ssn"},  // further than a form's columns
    {"ssn 000-12-3456 test", "us_ssn"},
    {"ssn 666-12-3456 test", "us_ssn"},
    {"case 123-00-4567", "us_ssn"},
    {"sample 078-05-1120", "us_ssn"},
    {"iban GB82 WEST 1234 5698 7654 33", "iban"},               // bad mod-97
    {"routing 021000022", "aba_routing"},
    {"at 12:30:45 the job ran", "ipv6"},
    {"mail me at someone@example", "email"},
    {"write to info@example.com", "email"},
    {"May we help? Will you call?", "person_name"},
    {"Grant access to the Royal Mail account", "person_name"},
    {"The Big Three Killed My Baby is a song", "person_name"},    // common words, a rare first name that is one
    {"his top songs for Entertainment Weekly", "person_name"},
    {"offices in Porto Alegre and Grand Rapids", "person_name"},  // a known surname alone is not enough
    {"see Section A. Research Council", "person_name"},
    {"we drove from Omaha Nebraska to Anchorage Alaska", "person_name"},  // places with surname endings
    {"flights to Chisinau Moldova daily", "person_name"},
    {"Hotel Kowalska is near", "person_name"},                            // a common word first
    {"serving Southern Canada and Southern Poland", "person_name"},       // a rare first name that is a word
    {"meet at Via Roma 131, or Rue De La Gare", "person_name"},           // streets abroad
    {"born 32/13/1985", "date_of_birth"},
    {"date of birth 01/01/1850", "date_of_birth"},
    {"the birthday party is on 2026-05-01", "date_of_birth"},  // words that do not say it is the date
    {"coords 123.4567, 200.1234", "geolocation"},
    {"passport office hours", "passport"},
    {"password=${DB_PASSWORD}", "credential"},
    {"password: ********", "credential"},
    {"timestamp 2024-01-02 10:11:12", "phone"},
    {"please call on 2024-11-29 or 29.11.2024", "phone"},  // dates after a phone word
    {"Viana do Castelo,4920-112,PT", "phone"},              // "tel" inside a word is no phone word
    {"database 021000021 restored", "aba_routing"},         // nor "aba" a routing word
    {"unzip 94103 files", "us_zip"},
    {"stubborn 01/02/1990", "date_of_birth"},
    {"sim 8944500102198304827 bad luhn", "iccid"},
    {"personnummer: 760211-4106", "national_id"},  // fails Luhn
    {"PESEL 54030268861", "national_id"},
    {"order id number 123456782 shipped", "national_id"},  // Luhn-valid, but an order's id is no national one
    {"national id 280689-867V", "national_id"},      // wrong check character
    {"codice fiscale RSSMRA85T10A562T", "national_id"},  // wrong check letter
    {"codice fiscale RSSMRA85T72A562C", "national_id"},  // no such day (a woman's days are 41-71)
    {"codice fiscale RSSMRA85T85A562L", "national_id"},
    {"identity number 8001015009088", "national_id"},   // fails Luhn
    {"identity number 8013015009082", "national_id"},   // Luhn-valid, but no thirteenth month
    {"NIR 1 85 05 2A 004 084 96", "national_id"},        // wrong key
    {"telemetry 1234567 packets", "phone"},                   // "tel" must be the whole word
    // Numbers inside longer runs, identifiers and other numbering schemes (found in /usr/share/doc).
    {"00010  ff ff ff ff 20 00 00 00  10 00 05 00 00 00 00 00  ....", "phone"},  // a hex dump
    {"<polygon points=\"1215.028 1220.29,1040.277 1035\"/>", "phone"},
    {"Importing vendor version xf86-012804-2330 on Thu", "phone"},
    {"Boston, MA  02110-1301  USA", "phone"},                   // a ZIP+4
    {"licensed under DFARS 252.227-7014", "phone"},              // separators mixed
    {"PASS: gdb.base/parse_number.exp: p/u 2147483648", "phone"},  // "number" inside a word is no context
    {"jfs: add check (CVE-2024-58095)", "phone"},
    {"Fixes https://oss-fuzz.com/testcase-detail/5390364397928448", "credit_card"},
    {"testcase-minimized-hb-draw-fuzzer-5667125715927040 | Bin", "credit_card"},
    {"harfbuzz/issues/2757#issuecomment-933531978", "us_itin"},
    {"Merge: 945737026 3db227265", "us_itin"},                   // nine digits alone need context
    {"it was called 8675309 times", "phone"},
    {"the Smith and Wesson revolver", "person_name"},         // one known name in the list
    {"open Monday, Tuesday and Friday", "person_name"},       // common words and other proper nouns
    {"shipped to Arnsdorf, Germany today", "person_name"},    // no "and": a place
    {"We flew to Paris, France and Spain", "person_name"},    // places rarely names are in the list
    {"She lives in Austin, Texas now", "person_name"},       // a name before a comma and a place
    {"the office in Sydney opened", "person_name"},          // a place after "in"
    {"a trip to Lincoln Nebraska", "person_name"},           // a place after it
    {"from Barnett, Melton and Garcia today", "person_name"},  // surnames alone, no context: a firm
    // Streets and firms named like people, by the words around them.
    {"early shows on Marina Fort Street were loud", "person_name"},
    {"It's in 675 Forrest Hill Road now", "person_name"},
    {"Meet me at P.O. Box 149 Monika Union", "person_name"},
    {"I once lived in 178 Piermark Drive Zak Points", "person_name"},
    {"top at the corner of Nieuwe Baan and Martinez Mall St. tonight", "person_name"},
    {"I work for Aunt Bertha Inc", "person_name"},
    {"Thomas and Sons is a design agency", "person_name"},
    {"The Jones, Smith and Davis Orchestra was founded", "person_name"},
    {"The Davis, Reynolds and Williamson Orchestra was founded", "person_name"},  // a first name leads
    {"Tomomi is from Hawkins, Richardson and Santana", "person_name"},
    {"she flew to Phoenix on Tuesday", "person_name"},            // a place after going to it
    {"later became Berkery Noyes Mandasoft in 2019", "person_name"},  // three words of a firm
    {"Date:   Mon Nov 28 01:37:36 2022 +0000", "person_name"},  // a date's weekday and month
    {"released on Sat, 09 Jan 2021 09:58:08", "person_name"},
    {"due Jan 2 at noon", "person_name"},
    {"po: Update German translation.", "person_name"},           // a language
    {"Fifth Floor, Boston, MA  02110-1301 USA", "person_name"},   // a city before a state's code
    {"new zone America/Coyhaique and Asia/Gaza", "person_name"},  // time zones
    {"/F2932_0 /Times-Roman 1 1 and SourceSans-Roman-nohvar", "person_name"},
    {"please call me tomorrow", "person_name"},                   // lower case: a known name only
    {"please call me ASAP or call me Back", "person_name"},
    {"my name is not important", "person_name"},
    {"Hi Team, Hello World, Thanks Again, Hey Siri, Hi ALL, Hi There, hi     Hindi", "person_name"},  // no names
    {"Co-authored-by: GitHub <noreply@github.example>", "person_name"},    // one unknown word
    {"From: Debian Bug Tracking System <owner@bugs.debian.example>", "person_name"},
    {"Full Name <email@addr.example> map file", "person_name"},         // English words, rare surnames
    {"BOSS GNU/Linux <bosslinux@cdac.example>", "person_name"},         // the end of a path
    {"Acme Corp <sales@acme.example>", "person_name"},
    {"Docs: rename Hello HarfBuzz to Getting Started", "person_name"},   // a product's capital inside
    {"Offset(Hi, Lo) and const & hi, Pred p", "person_name"},            // code, not greetings
    {"  * German, Basque, Swedish. Fixes for Mac OS X; Travis CI and Travis-CI builds", "person_name"},  // languages, products
    {">>> s == 'Hello World'", "person_name"},
    {"name = 'Gettext Catalog' name=\"footer\" let Name = \"Imm\"; name=\"English\"", "person_name"},  // "name" alone
    {"hostname=Zdenka filename=\"Quionia\"", "person_name"},               // not keys for people
    {"From: Debian Project; cc: Sales Department; assigned to Release Team", "person_name"},  // a field, then no name
    {"Reported by Tencent Xuanwu Lab; sent to Quionia Vasquez", "person_name"},  // a firm; "sent" is no person's verb
    {"Kind regards,\nThe Support Team", "person_name"},                  // English words, no first name
    {"we did it at best,\nQuionia", "person_name"},                      // prose before the sign-off
    {"Thanks, see below\nQuionia", "person_name"},                       // the sign-off must end its line
    {"the Brigade 2 marched on", "intl_street_address"},      // an English word before the number
    {"Spring 2026 term", "intl_street_address"},
    {"it took place 5 times", "intl_street_address"},         // "place" leads only after a number
    {"set 3 Place Settings out", "intl_street_address"},      // capitalized, only with a particle after
    {"the address Book 3 entries", "intl_street_address"},    // every word an English one
    {"readdress Kalda 70", "intl_street_address"},            // the context word must start a word
    // A key that names a place or a firm says what its value is.
    {R"({"city":"Jackson","state_name":"Madison Heights"})", "person_name"},
    {"billing_city=Austin company=Johnson Controls", "person_name"},
    {"<employer>Hugh M. Woods</employer>", "person_name"},
    {R"({"unzip": "94110"})", "us_zip"},                      // the key must start a word
    {R"({"flat":"12.34567","lng":"45.67891"})", "geolocation"},  // "flat" holds no latitude key
    {R"({"lat":0.00000,"lng":0.00000})", "geolocation"},         // null island: no position
    {R"({"lat":"95.12345","lng":"10.12345"})", "geolocation"},   // no latitude
    {"Acme Support wrote:", "person_name"},                       // English words, no name
    {"On Tue, Mar 3, 2020, GitHub wrote:", "person_name"},        // a product's capital inside
    {"The Dragon writes:", "person_name"},                        // an article leads, "Dragon" is a word
    {"so the Release Team wrote: nothing", "person_name"},        // prose before it, no date or label
    // A phone word on the line above a number that is not its label, or a number not alone.
    {"Please give us a call on the\n555 1234 line", "phone"},      // the number is not alone on its line
    {"telephone bills rose by a third in\n2023 2024", "phone"},    // prose, no label
    {"Phone:\n2024-11-29", "phone"},                                // a date under the label
    {"Phone 2:\n467 3395", "phone"},                                // a digit in the label: not only a label
    {"Telemetry:\n467 3395", "phone"},                              // the word must be whole
    {"sold 12 500 000 homes", "phone"},                              // no kind word after
    {"the 2023 2024 cell count", "phone"},                           // seven digits, but a span of years
    {"see the table (312)\n555 rows and 2 columns", "phone"},       // no local number under the area code
    {"total = f(312)\n5553278 rows", "phone"},                      // a call's argument, not an area code
    // A date under a line that is not its label, or not alone on its line.
    {"Date of birth:\n03/12/1987 was the day", "date_of_birth"},    // more than the date on its line
    {"Newborn\n03/12/2025", "date_of_birth"},                       // the word must be whole
    {"Date of birth 2:\n03/12/1987", "date_of_birth"},              // a digit in the label
    {"the day she was born, see the record of\n03/12/1987", "date_of_birth"},  // prose, not a label
    // Other values under a line that is not their label.
    {"SSN:\n536227000 on file", "us_ssn"},                           // more than the number on its line
    {"SSN:\n000227000\n", "us_ssn"},                                // no such SSN (area 000)
    {"Lessn\n536227000\n", "us_ssn"},                               // the word must be whole
    {"Passport\nABCDEFGH\n", "passport"},                           // no digit
    {"we renewed the passport and the visa, see the file\nX1234567", "passport"},  // prose, not a label
    {"Handle\nD1234567\n", "drivers_license"},                      // "dl" inside a word
    {"x_dl:\nD1234567\n", "drivers_license"},                       // nor after '_'
    {"Customer number\n000123456789\n", "us_bank_account"},         // not an account's label
    {"Account\n000123456789\n", "us_bank_account"},                 // "account" alone: a customer's as often
    {"Account 2 number\n000123456789\n", "us_bank_account"},        // a digit in the label
};

TEST_P(ScanTest, IgnoresNearMisses) {
  for (const Negative& n : kNegatives) {
    auto found = ScanAll(engine(), n.text);
    for (const Found& f : found) EXPECT_NE(f.detector, n.detector) << n.text << " -> " << f.value;
  }
}

// A surname is followed only where it stands alone, on the full name's line: not inside a host,
// an address or a longer word, and not on the next line.
TEST_P(ScanTest, FollowsASurnameOnlyWhereItStandsAlone) {
  auto found = ScanAll(engine(),
                       "Anna Kowalczyk wrote: see Kowalczyk.example.com, x@Kowalczyk.net, Kowalczyks and Kowalczyk-Larsen; Kowalczyk agreed\n"
                       "Kowalczyk on the next line");
  std::vector<Found> names;
  std::copy_if(found.begin(), found.end(), std::back_inserter(names), [](const Found& f) { return f.detector == "person_name"; });
  EXPECT_THAT(names, testing::ElementsAre(Found{"person_name", "Anna Kowalczyk"}, Found{"person_name", "Kowalczyk"}));
}

// Only a line that starts with a name and ':' is a speaker, and only one that is no common word
// or place.
TEST_P(ScanTest, FollowsSpeakersOfADialogue) {
  auto found = ScanAll(engine(), "Note: bring a coat\nNicole: Remember me?\nBerlin: the city\nKoppány: Who are you?\nsaid Vinka: no");
  std::vector<Found> names;
  std::copy_if(found.begin(), found.end(), std::back_inserter(names), [](const Found& f) { return f.detector == "person_name"; });
  EXPECT_THAT(names, testing::ElementsAre(Found{"person_name", "Nicole"}, Found{"person_name", "Koppány"}));
  // A table's values, one per line, are records of their own: no speaker is followed between them.
  std::vector<std::string> spans;
  const std::string_view values = "Nicole: Remember me?\nKopp\xc3\xa1ny: Who are you?";
  engine().NewSession()->ScanRecords(values, [&](const Match& m) {
    if (engine().detectors()[m.detector].id == "person_name") spans.emplace_back(values.substr(m.start, m.end - m.start));
  });
  EXPECT_THAT(spans, testing::ElementsAre("Nicole"));
}

TEST_P(ScanTest, ReportsEveryMatchOfALongMultiLineText) {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "line " + std::to_string(i) + " user" + std::to_string(i) + "@acme-shop.com 203.0.113." + std::to_string(i % 250 + 1) + "\n";
  auto found = ScanAll(engine(), text);
  EXPECT_EQ(std::count_if(found.begin(), found.end(), [](const Found& f) { return f.detector == "email"; }), 2000);
  EXPECT_EQ(std::count_if(found.begin(), found.end(), [](const Found& f) { return f.detector == "ipv4"; }), 2000);
}

TEST_P(ScanTest, SurvivesNulBytesAndInvalidUtf8) {
  static const char kRaw[] = "\xff\xfe\x00\x00 ssn 460-89-9847 \xc3\x28\x00 a@b.io\n";
  const std::string text(kRaw, sizeof kRaw - 1);
  auto found = ScanAll(engine(), text);
  EXPECT_THAT(found, testing::Contains(Found{"us_ssn", "460-89-9847"}));
  EXPECT_THAT(found, testing::Contains(Found{"email", "a@b.io"}));
}

INSTANTIATE_TEST_SUITE_P(Matchers, ScanTest, testing::Values(MatcherKind::kVectorscan, MatcherKind::kRe2),
                         [](const auto& info) { return info.param == MatcherKind::kRe2 ? "Re2" : "Vectorscan"; });

// Every test text, and mixed generated text: log lines, CSV rows, prose, near-misses next to
// real values.
std::string MixedCorpus() {
  std::string corpus;
  for (const Positive& p : kPositives) corpus += std::string(p.text) + "\n";
  for (const Negative& n : kNegatives) corpus += std::string(n.text) + "\n";
  // Found by fuzzing: eight groups followed by more, no "::" (the gated IPv6 rule's, not the literal one's).
  corpus += "peer 00:1a:2b:3c:4:2b:3c:4d:5e:d:5e up\n";
  // Found by fuzzing: a display name before an address whose '@' has no letter after it (the
  // pattern must hold the email prefilter Vectorscan finds its lines by).
  corpus += "Ander Conselvan de Oliveira <x@\x0b.org>\n";
  // Accented context words in both cases (RE2 folds Latin-1 case, Vectorscan only ASCII).
  corpus += "henkil\xc3\xb6tunnus 280689-867U henkil\xe3\xb6tunnus 280689-867U S\xc3\x89" "CURIT\xc3\x89 SOCIALE 2791269679323 49\n";
  // First names at word edges (looked up word by word with Vectorscan, by regex with RE2).
  corpus += "Maria's Mary-Jane Maria\xc3\xa9 _Maria Maria_ 3Maria MariaX (James) \"Emily\" Robert.Smith@x.io JAMES james\n";
  const char* first[] = {"James", "Maria", "Wei", "Olga", "Emily", "Robert", "Aisha", "Lucas"};
  const char* last[] = {"Smith", "Garcia", "Chen", "Ivanova", "Johnson", "Mueller", "Khan", "Silva"};
  for (int i = 0; i < 400; ++i) {
    std::string n = std::to_string(i);
    corpus += "2026-11-" + std::to_string(i % 28 + 1) + "T10:11:12Z INFO req=" + n + " ip=10.0." + std::to_string(i % 255) + "." +
              std::to_string(i * 7 % 255) + " user=" + first[i % 8] + "." + last[i % 7] + n + "@mail.test-shop.com v1.2." + n + ".4\n";
    corpus += n + "," + first[i % 8] + " " + last[(i + 3) % 8] + ",+1-415-" + std::to_string(200 + i % 700) + "-" +
              std::to_string(1000 + i) + ",4111 1111 1111 " + std::to_string(1000 + i) + ",ssn 123-45-" + std::to_string(1000 + i) + "\n";
    corpus += "Dear " + std::string(first[(i + 5) % 8]) + ", your order 98" + n + "7654321 ships to " + n + " Oak Street, Apt " + n +
              ", Austin, TX 7870" + std::to_string(i % 10) + ". Call 0" + std::to_string(20 + i % 70) + " 7946 " + std::to_string(1000 + i) + ".\n";
  }
  return corpus;
}

// The name under a sign-off is on the next line: not where each line is a record of its own.
TEST_P(ScanTest, FindsASignatureOnlyInText) {
  const std::string_view text = "Thanks,\nQuionia";
  std::vector<std::string> text_spans, record_spans;
  auto session = engine().NewSession();
  session->Scan(text, [&](const Match& m) { text_spans.emplace_back(text.substr(m.start, m.end - m.start)); });
  session->ScanRecords(text, [&](const Match& m) { record_spans.emplace_back(text.substr(m.start, m.end - m.start)); });
  EXPECT_THAT(text_spans, testing::ElementsAre("Quionia"));
  EXPECT_THAT(record_spans, testing::IsEmpty());
}

// Every match of `text`: detector, span, confidence.
std::vector<std::tuple<int, size_t, size_t, double>> AllMatches(const Engine& engine, std::string_view text) {
  std::vector<std::tuple<int, size_t, size_t, double>> out;
  engine.NewSession()->Scan(text, [&](const Match& m) { out.emplace_back(m.detector, m.start, m.end, m.confidence); });
  return out;
}

// The two matchers agree match for match (detector, span, confidence) on every test text and on
// the labelled fixture sentences.
TEST(ScanDifferential, VectorscanAndRe2Agree) {
  auto vs = Engine::Build({.matcher = MatcherKind::kVectorscan, .cache_dir = CacheDir()});
  auto re = Engine::Build({.matcher = MatcherKind::kRe2});
  ASSERT_TRUE(vs && re);
  ASSERT_EQ((*vs)->matcher(), MatcherKind::kVectorscan);
  ASSERT_EQ((*re)->matcher(), MatcherKind::kRe2);
  const std::string corpus = MixedCorpus();
  auto a = AllMatches(**vs, corpus), b = AllMatches(**re, corpus);
  EXPECT_GT(a.size(), 100u);
  EXPECT_EQ(a, b);
}

// The inert literals that steer Vectorscan's choice of literal matcher (engine.cc) change no
// match, and text with their bytes reports nothing of them.
TEST(ScanDifferential, InertLiteralsChangeNoMatch) {
  auto plain = Engine::Build({.matcher = MatcherKind::kVectorscan, .matcher_pads = 0});
  auto padded = Engine::Build({.matcher = MatcherKind::kVectorscan, .matcher_pads = 160});
  ASSERT_TRUE(plain && padded);
  std::string corpus = MixedCorpus();
  for (int k = 0; k < 160; ++k) corpus += std::string("pad \xf8\xf9") + static_cast<char>(k) + "\xfa\xfb\xfc for a@b.io\n";
  auto a = AllMatches(**plain, corpus), b = AllMatches(**padded, corpus);
  EXPECT_GT(a.size(), 260u);
  EXPECT_EQ(a, b);
}

// Every raw match of a class-led rule's pattern (before any validator) lies on a line GateLines
// finds with that rule's shape: on the test texts, on one example of each shape, and on random
// lines over the bytes those shapes are made of.
TEST(ScanGate, FindsTheLineOfEveryGatedMatch) {
  std::string corpus = MixedCorpus();
  for (const char* shape : {
           "4155552671", "415-5552671", "415555-2671", "(415)555-2671", "(415) 555 2671", "1 (415) 555-2671", "1.415.555.2671",
           "020 7946 0958", "(020) 7946 0958", "0612345678", "06 12 34 56 78", "030/901820", "0690.12.34", "737 219 628",
           "99 66 84 72", "460 89 9847", "912701234", "91270-1234", "912-701234", "4111 1111 1111 1111", "4111-1111-1111-1",
           "3782 822463 10005", "4111111111111111", "89445001021983048260", "gb82 WEST 1234 5698 7654 32",
           "DE89370400440532013000", "1.2.3.4", "203.0.113.195", "ab:cd:ef:01:23:45", "AB-CD-EF-01-23-45", "0a1b.2c3d.4e5f",
           "abcd.ef01.2345", "49-015420-323751-8", "Springfield, IL 62704-1234", "TX 78701", "London SW1A 1AA", "W1 0AX",
           "37.774929, -122.419416", "-33.8688,151.2093", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
           "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "fe80:0:0:0:0:0:0:1",
           "abcd:ef01:2345:6789:abcd:ef01:2345:6789", "Hanne I. Kreutzmann", "Maja S Hermansen", "Maria Garcia",
           "Željko Živković", "Éva I. Kovács", "Ana Éva", "1570 Blanshard Street", "12 Main St. Apt 4", "123-45-6789", "123 45 6789", "912-70-1234", "x 8944500102198304826 y", "+1-903-140-4508 ext. 769",
           "+44 20 7946 0958", "+41 (0)69 123 45 67", "x+2026-11-05T10:04:28Z", "Mattenstrasse 108", "MattenSTRASSE 108",
           "Hauptstr. 5", "Koskikatu 25", "Kossuth utca 5", "Kossuth Utca 5", "Prenzlauer Allee 12", "Dronning \xc3\x85sas vei 3",
           "Sankt Eriksgatan 117", "V\xc3\xa1" "ci \xc3\xbat 1", "Kungsv\xc3\xa4gen 2", "Sofienstra\xc3\x9f" "e 7"})
    corpus += std::string("x ") + shape + " y\n" + shape + "\n";
  uint64_t seed = 42;
  auto next = [&seed] { return (seed = seed * 6364136223846793005u + 1442695040888963407u) >> 33; };
  const std::string_view alphabet = "0123456789000111333999 .-/():,\tAaZzfFxX::+";
  for (int line = 0; line < 20000; ++line) {
    size_t len = 4 + next() % 40;
    for (size_t k = 0; k < len; ++k) corpus += alphabet[next() % alphabet.size()];
    corpus += '\n';
  }

  const std::string_view hex = "0123456789abcdefABCDEF";
  for (int line = 0; line < 4000; ++line) {  // colon-separated hex groups, some too long, some ending in '.'
    size_t groups = 2 + next() % 9;
    for (size_t g = 0; g < groups; ++g) {
      if (g) corpus += next() % 12 == 0 ? "::" : ":";
      for (size_t k = 0, len = next() % 6; k < len; ++k) corpus += hex[next() % hex.size()];
    }
    corpus += next() % 4 == 0 ? ".1\n" : "\n";
  }
  // Capitalized words, initials with and without a dot, lowercase and UTF-8 words, one or two spaces.
  // Capitals beyond ASCII alone, after an ASCII letter or another byte beyond ASCII, and letters
  // that are none (×, ß).
  const char* words[] = {"Ab", "Hanne", "I.", "S", "X.", "Kreutzmann", "ab", "de", "\xc3\x98rn", "\xc3\xa9l", "Zo\xc3\xab",
                         "Q", "Abcdefghijklmnopqrstu", "Abcdefghijklmnopqrstuvw", "O'Brien", "A.", "x",
                         "Željko", "É", "Éva", "xÉva", "éÉva", "Čabcdefghijklmnopqrst",
                         "×x", "ŽŽ", "ßa", "Ștefan", "éé", "ÉMaria", "\xc3Maria", "INFO", "MARIA"};
  for (int line = 0; line < 6000; ++line) {
    for (size_t k = 0, len = 2 + next() % 5; k < len; ++k) {
      if (k) corpus += next() % 8 == 0 ? "  " : " ";
      corpus += words[next() % std::size(words)];
    }
    corpus += '\n';
  }
  // ISO timestamps, which the gate skips up to their seconds, with what may come before and
  // after them, and near misses (a space for the 'T', a leading 0, a ':' after the seconds).
  const char* before[] = {"", "x ", "ab", "415 555 ", "0", "-", "1 ", "DE89 ", "12:34:", "(415) 555-"};
  const char* after[] = {"Z", ".123456 ", ".1234, -80.1234", ":ab:cd:ef", " 415 555 2671", " 92 1234", "+02:00", "0", ",", ""};
  for (int line = 0; line < 3000; ++line) {
    std::string ts = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", next() % 3000, next() % 13, next() % 32, next() % 24,
                                 next() % 60, next() % 60);
    if (next() % 5 == 0) ts[10] = ' ';
    if (next() % 7 == 0) ts[next() % ts.size()] = "0123456789:- "[next() % 13];
    corpus += std::string(before[next() % std::size(before)]) + ts + after[next() % std::size(after)] + "\n";
  }
  internal::RuleSet set = internal::BuiltinRules();
  uint32_t all_shapes = 0;
  for (const internal::Rule& rule : set.rules) all_shapes |= rule.shape;
  std::vector<internal::LineRange> lines;
  internal::GateLines(corpus, all_shapes, lines);
  auto flagged = [&](size_t from, uint32_t shape) {
    auto it = std::lower_bound(lines.begin(), lines.end(), from, [](const internal::LineRange& l, size_t f) { return l.from < f; });
    return it != lines.end() && it->from == from && (it->shapes & shape) != 0;
  };
  int gated = 0, bounded = 0;
  size_t checked = 0;
  for (const internal::Rule& rule : set.rules) {
    if (!rule.class_led) continue;
    EXPECT_NE(rule.shape, 0u) << rule.pattern;
    ++gated;
    RE2::Options o;
    o.set_encoding(RE2::Options::EncodingLatin1);
    o.set_never_nl(true);
    RE2 re(rule.pattern, o);
    ASSERT_TRUE(re.ok()) << rule.pattern;
    const size_t longest = internal::LongestMatch(rule.pattern);
    if (rule.shape != internal::kFirstName) bounded += longest != std::string_view::npos;
    for (size_t from = 0; from < corpus.size();) {
      size_t to = corpus.find('\n', from);
      re2::StringPiece line(corpus.data() + from, to - from), match;
      if (re.Match(re2::StringPiece(corpus), from, to, RE2::UNANCHORED, &match, 1)) {
        ++checked;
        EXPECT_TRUE(flagged(from, rule.shape)) << set.detectors[rule.detector].id << " on line: " << line;
        // And its first match (so every one) starts where the engine looks from (ConfirmFrom).
        auto it = std::lower_bound(lines.begin(), lines.end(), from, [](const internal::LineRange& l, size_t f) { return l.from < f; });
        if (it != lines.end() && it->from == from) {
          EXPECT_LE(internal::ConfirmFrom(*it, longest), static_cast<size_t>(match.data() - corpus.data()))
              << set.detectors[rule.detector].id << " on line: " << line;
        }
      }
      from = to + 1;
    }
  }
  EXPECT_GE(gated, 22);
  EXPECT_GE(bounded, 20);
  EXPECT_GT(checked, 1000u);
  // And the gate is a filter: ISO timestamps, hex ids, plain numbers and single capitalized words
  // pass none of its conditions.
  lines.clear();
  internal::GateLines("2026-11-05T10:04:28Z INFO req=0000000c took=412ms status=ok\n12,3874,n/a,5\n{\"id\": 1234567}\n"
                      "Refreshed the Order in time, said NASA.\n",
                      all_shapes, lines);
  EXPECT_TRUE(lines.empty());
}

TEST(ScanValidators, Checksums) {
  EXPECT_TRUE(CardValid("4111111111111111"));
  EXPECT_FALSE(CardValid("4111111111111112"));
  EXPECT_FALSE(CardValid("4111 1111-1111 1111"));  // mixed separators
  EXPECT_TRUE(CardValid("30425049727467"));         // Diners, 14 digits
  EXPECT_TRUE(IbanValid("gb82west12345698765432"));
  EXPECT_FALSE(IbanValid("GB82WEST1234569876543"));  // wrong length for GB
  EXPECT_TRUE(IbanValid("GB82 WEST 1234 5698 7654 32"));
  EXPECT_TRUE(IbanValid("DE89 3704 0044 0532 0130 00"));
  EXPECT_TRUE(IbanValid("NO9386011117947"));                     // the shortest, 15
  EXPECT_TRUE(IbanValid("LC55HEMM000100010012001200023015"));    // 32
  EXPECT_FALSE(IbanValid("DE89 3704 0044 0532 0130 01"));        // check digits
  EXPECT_FALSE(IbanValid("GB82-WEST-1234-5698-7654-32"));        // not letters, digits and spaces
  EXPECT_FALSE(IbanValid("ZZ82WEST12345698765432"));             // no such country
  EXPECT_FALSE(IbanValid("DE89370400440532013000000000000000000"));  // past 34
  EXPECT_TRUE(AbaValid("011000015"));
  EXPECT_FALSE(AbaValid("011000016"));
  // National identity numbers: one valid value per scheme, then the same with one digit changed.
  const std::pair<const char*, const char*> kNational[] = {
      {"760211-4105", "SE"},       {"280689-867U", "FI"},      {"54030268860", "PL"},  {"308.271.618-08", "BR"},
      {"727 633 539", "CA"},       {"2791269679323 49", "FR"}, {"ZT 01 87 75", "GB"},  {"KY 97 49 93 A", "GB"},
      {"190641-4941", "DK"},       {"200758-2065", "FI"},      // a Finnish check character that is a digit
      {"RSSMRA85T10A562S", "IT"},  {"8001015009087", "ZA"},    {"185052A00408495", "FR"}, {"2 91 02 2B 123 456 56", "FR"}};
  for (const auto& [value, country] : kNational) {
    EXPECT_EQ(NationalIdCountry(value), country) << value;
    std::string changed = value;
    changed[changed.find_first_of("0123456789") + 1] ^= 1;  // one digit off
    if (std::string_view(country) != "DK" && std::string_view(country) != "GB") {
      EXPECT_NE(NationalIdCountry(changed), country) << changed;  // the scheme's own check fails (another may pass)
    }
  }
  EXPECT_EQ(NationalIdCountry("GB 01 87 75"), "");  // a prefix never allocated
  EXPECT_EQ(NationalIdCountry("DQ 01 87 75"), "");
  EXPECT_EQ(NationalIdCountry("111.111.111-11"), "");  // one repeated digit passes CPF's sums
  EXPECT_EQ(NationalIdCountry("351341-4941"), "");     // no such day or month
}

TEST(WordTable, HoldsItsWordsAndNoOthers) {
  std::vector<std::string> words;
  for (int i = 0; i < 5000; ++i) words.push_back(fmt::format("w{}", i * 7919 % 100003));
  words.push_back("w0");  // a repeat
  words.push_back(std::string(255, 'x'));
  words.push_back(std::string(256, 'y'));  // too long: left out
  std::vector<std::string_view> views(words.begin(), words.end());
  const std::string image = internal::WordTable::Build(views);
  internal::WordTable table(image);
  EXPECT_EQ(table.size(), 5001u);
  for (int i = 0; i < 5000; ++i) EXPECT_TRUE(table.Contains(fmt::format("w{}", i * 7919 % 100003)));
  EXPECT_TRUE(table.Contains(std::string(255, 'x')));
  EXPECT_FALSE(table.Contains(std::string(256, 'y')));
  EXPECT_FALSE(table.Contains("w"));
  EXPECT_FALSE(table.Contains("w100003"));
  EXPECT_FALSE(table.Contains(""));
  EXPECT_FALSE(internal::WordTable(image.substr(0, 7)).Contains("w0"));  // not an image: empty
  EXPECT_FALSE(internal::WordTable(image.substr(0, 100)).Contains("w0"));
  EXPECT_FALSE(internal::WordTable().Contains("w0"));
}

// The embedded lists: each word in its own table ("Omaha" is a place, "Brown" a surname and a
// common word, "Maria" a first name), case-insensitively. A place some people are named after
// ("Alaska") is a name, not another proper noun.
TEST(NameLists, KnowEachKindOfWord) {
  const auto& names = internal::NameLists::Get();
  // Places of one word: countries, first-level parts of countries, cities that name time zones.
  for (const char* place : {"France", "spain", "Texas", "Nebraska", "Bayern", "Ontario", "Paris", "Sydney"})
    EXPECT_TRUE(names.IsPlace(place)) << place;
  for (const char* other : {"Maria", "Davis", "New York", "Brown"}) EXPECT_FALSE(names.IsPlace(other)) << other;
  EXPECT_TRUE(names.IsFirstName("Maria"));
  EXPECT_TRUE(names.IsSurname("GARCIA"));
  EXPECT_TRUE(names.IsCommonSurname("brown"));
  EXPECT_TRUE(names.IsCommonWord("Brown"));
  EXPECT_TRUE(names.IsOtherProperNoun("Omaha"));
  EXPECT_TRUE(names.IsOtherProperNoun("moldova"));
  EXPECT_FALSE(names.IsOtherProperNoun("Alaska"));
  EXPECT_FALSE(names.IsOtherProperNoun("Maria"));   // a first name
  EXPECT_FALSE(names.IsOtherProperNoun("Garcia"));  // a surname
  EXPECT_FALSE(names.IsOtherProperNoun("river"));   // a common word
  EXPECT_FALSE(names.IsCommonWord("Omaha"));
  // Letters beyond ASCII are looked up as the US lists spell them.
  EXPECT_TRUE(names.IsFirstName("T\xc3\xb3mas"));            // Tómas
  EXPECT_TRUE(names.IsFirstName("\xc5\x81ukasz"));           // Łukasz: Ł does not decompose
  EXPECT_TRUE(names.IsFirstName("S\xc3\xb8ren"));            // Søren: nor does ø
  EXPECT_TRUE(names.IsSurname("KOV\xc3\x81" "CS"));              // KOVÁCS
  EXPECT_TRUE(names.IsSurname("Stro\xcc\x88m"));              // Ström with a combining diaeresis
  EXPECT_FALSE(names.IsFirstName("\xce\x9c\xce\xb1\xcf\x81\xce\xaf\xce\xb1"));  // Μαρία: no list's spelling
  EXPECT_FALSE(names.IsFirstName("Tom\xff"));                 // not UTF-8
}

TEST(ScanEngine, OnlyAndExceptSelectDetectors) {
  auto only = Engine::Build({.only = {"email"}});
  ASSERT_TRUE(only);
  EXPECT_EQ((*only)->detectors().size(), 1u);
  EXPECT_THAT(ScanAll(**only, "a@b.io 460-89-9847"), testing::ElementsAre(Found{"email", "a@b.io"}));
  auto unknown = Engine::Build({.except = {"emial"}});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(unknown.error().field, "--except");
}

TEST(ScanRulesFile, CustomRuleWithContext) {
  internal::RuleSet set;
  ASSERT_TRUE(internal::AddRulesText(R"(rules:
  - id: employee_id
    label: Employee number
    pattern: '\bEMP-[0-9]{6}\b'
    fideslang: user.unique_id
    ccpa: A
    context: [employee]
)", "r.yaml", set));
  ASSERT_EQ(set.detectors.size(), 1u);
  EXPECT_TRUE(set.detectors[0].custom);
}

TEST(ScanRulesFile, BadRulesNameTheirLine) {
  struct Case {
    const char* yaml;
    const char* field;
    const char* message_part;
  };
  const Case cases[] = {
      {"rules:\n  - id: x\n    pattern: '[unclosed'\n    fideslang: user.name\n", "r.yaml:3", "invalid pattern"},
      {"rules:\n  - id: x\n    pattern: 'a*'\n    fideslang: user.name\n", "r.yaml:3", "empty string"},
      {"rules:\n  - id: x\n    pattern: 'abc'\n    fideslang: user.nmae\n", "r.yaml:4", "fideslang"},
      {"rules:\n  - id: x\n    pattern: 'abc'\n    fideslang: user.name\n    colour: red\n", "r.yaml:5", "unknown key"},
      {"rules:\n  - id: email\n    pattern: 'abc'\n    fideslang: user.name\n", "r.yaml:2", "already exists"},
      {"rules:\n  - id: x\n    pattern: 'abc'\n    fideslang: user.name\n    ccpa: Z\n", "r.yaml:5", "ccpa"},
      {"rules: [\n", "r.yaml:2", "YAML"},
  };
  for (const Case& c : cases) {
    internal::RuleSet set = internal::BuiltinRules();
    size_t before = set.detectors.size();
    auto status = internal::AddRulesText(c.yaml, "r.yaml", set);
    ASSERT_FALSE(status) << c.yaml;
    EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(status.error().field, c.field) << c.yaml;
    EXPECT_THAT(status.error().message, testing::HasSubstr(c.message_part));
    EXPECT_EQ(set.detectors.size(), before);  // nothing half-added
  }
}

// One line's cells and where each lies: the fast split of lines without quotes, libcsv's of lines
// with them (doubled quotes, delimiters inside quotes), and the lines that are no record.
TEST(CsvSplitter, SplitsALineAndKeepsEachCellsPlace) {
  using internal::CsvCell;
  using internal::CsvSplitter;
  CsvSplitter comma(',');
  std::vector<CsvCell> cells;
  auto shown = [&] {
    std::vector<std::tuple<size_t, size_t, std::string, bool>> out;
    for (const CsvCell& c : cells) out.emplace_back(c.start, c.end, std::string(c.value), c.quoted);
    return out;
  };
  using Cell = std::tuple<size_t, size_t, std::string, bool>;
  EXPECT_EQ(comma.Split("a,,bc\r", cells), CsvSplitter::Line::kRecord);
  EXPECT_THAT(shown(), testing::ElementsAre(Cell{0, 1, "a", false}, Cell{2, 2, "", false}, Cell{3, 5, "bc", false}));
  const std::string_view quoted = R"("x, y",2,"he said ""hi""",""")";
  EXPECT_EQ(comma.Split(quoted.substr(0, quoted.size() - 1), cells), CsvSplitter::Line::kRecord);
  EXPECT_THAT(shown(), testing::ElementsAre(Cell{0, 6, "x, y", true}, Cell{7, 8, "2", false}, Cell{9, 25, "he said \"hi\"", true},
                                            Cell{26, 28, "", true}));
  // The 'h' of "hi" is byte 9 of the value; in the line, after the opening quote and one doubled quote.
  EXPECT_EQ(internal::CsvValueOffsetInLine(quoted, cells[2], 9), quoted.find("hi"));
  EXPECT_EQ(comma.Split(R"(1,"open, and)", cells), CsvSplitter::Line::kOpenQuote);
  EXPECT_TRUE(cells.empty());
  EXPECT_EQ(comma.Split(R"(1,ab"c,d)", cells), CsvSplitter::Line::kNoRecord);
  EXPECT_EQ(comma.Split(R"("a"b,c)", cells), CsvSplitter::Line::kNoRecord);
  EXPECT_EQ(comma.Split(R"(a, "b")", cells), CsvSplitter::Line::kNoRecord);  // a blank before a quote: no trimming
  EXPECT_EQ(comma.Split("", cells), CsvSplitter::Line::kNoRecord);
  EXPECT_EQ(comma.Split(R"(x,"y")", cells), CsvSplitter::Line::kRecord);  // the parser is ready again after errors
  EXPECT_THAT(shown(), testing::ElementsAre(Cell{0, 1, "x", false}, Cell{2, 5, "y", true}));
}

TEST(CsvSplitter, TellsAHeaderAndItsDelimiter) {
  EXPECT_TRUE(internal::IsCsvName("exports/users.CSV.gz"));
  EXPECT_TRUE(internal::IsCsvName("a.zip!dir/people.tsv"));
  EXPECT_FALSE(internal::IsCsvName("users.csv.bak"));
  auto header = internal::ParseCsvHeader("eu.csv", "\xef\xbb\xbfid;First Name;E-mail (work)\r");
  ASSERT_TRUE(header);
  EXPECT_EQ(header->delimiter, ';');
  EXPECT_THAT(header->names, testing::ElementsAre("id", "First Name", "E-mail (work)"));
  header = internal::ParseCsvHeader("t.tsv", "first name\tssn");  // a tab for .tsv, whatever the line holds most
  ASSERT_TRUE(header);
  EXPECT_EQ(header->delimiter, '\t');
  EXPECT_FALSE(internal::ParseCsvHeader("a.csv", "1,31,n/a,5"));               // a number
  EXPECT_FALSE(internal::ParseCsvHeader("a.csv", "id,jane@mailbox-acme.net"));  // no label
  EXPECT_FALSE(internal::ParseCsvHeader("a.csv", "name"));                      // one column
  EXPECT_FALSE(internal::ParseCsvHeader("a.csv", "2026,2027"));                 // no letter
  EXPECT_FALSE(internal::ParseCsvHeader("a.csv", std::string_view("id,na\0me", 8)));  // a NUL is no label's
  EXPECT_TRUE(internal::ParseCsvHeader("a.csv", "Phone #,Amount ($),Name:,Rate %"));
}

TEST(Workbook, DatesColumnsAndLimits) {
  EXPECT_EQ(internal::ColumnLetters(1), "A");
  EXPECT_EQ(internal::ColumnLetters(26), "Z");
  EXPECT_EQ(internal::ColumnLetters(27), "AA");
  EXPECT_EQ(internal::ColumnLetters(16384), "XFD");
  // Serial numbers: 1900 system (day 60 is Excel's 29 February 1900 that was not), 1904 system.
  EXPECT_EQ(internal::SerialDate("1", false, false), "1900-01-01");
  EXPECT_EQ(internal::SerialDate("59", false, false), "1900-02-28");
  EXPECT_EQ(internal::SerialDate("61", false, false), "1900-03-01");
  EXPECT_EQ(internal::SerialDate("31848", false, false), "1987-03-12");
  EXPECT_EQ(internal::SerialDate("44202.4375", false, true), "2021-01-06 10:30:00");
  EXPECT_EQ(internal::SerialDate("44202.4375", false, false), "2021-01-06");
  EXPECT_EQ(internal::SerialDate("0", true, false), "");  // no date
  EXPECT_EQ(internal::SerialDate("1", true, false), "1904-01-02");
  EXPECT_EQ(internal::SerialDate("-5", false, false), "");
  EXPECT_EQ(internal::SerialDate("2958466", false, false), "");  // past 9999-12-31
  EXPECT_EQ(internal::SerialDate("12ab", false, false), "");
  // Formats: built-in date ids, and codes with a day or year outside quotes and brackets.
  EXPECT_TRUE(internal::DateFormatOf(14, "").date);
  EXPECT_TRUE(internal::DateFormatOf(22, "").time);
  EXPECT_FALSE(internal::DateFormatOf(20, "").date);  // h:mm
  EXPECT_FALSE(internal::DateFormatOf(0, "").date);
  EXPECT_TRUE(internal::DateFormatOf(164, "yyyy\\-mm\\-dd").date);
  EXPECT_TRUE(internal::DateFormatOf(165, "[$-409]d-mmm-yy;@").date);
  EXPECT_TRUE(internal::DateFormatOf(166, "dd/mm/yyyy hh:mm").time);
  EXPECT_FALSE(internal::DateFormatOf(167, "0 \"days\"").date);
  EXPECT_FALSE(internal::DateFormatOf(168, "[h]:mm:ss").date);
  EXPECT_FALSE(internal::DateFormatOf(169, "#,##0.00_);[Red](#,##0.00)").date);
  EXPECT_FALSE(internal::DateFormatOf(170, "\\d0").date);  // an escaped d is shown, not a day

  // A workbook whose shared strings exceed the limit is refused, naming the part.
  const std::string path = testing::TempDir() + "limits-" + std::to_string(::getpid()) + ".xlsx";
  const std::string book = R"(<workbook><sheets><sheet name="S" sheetId="1"/></sheets></workbook>)";
  const std::string strings = "<sst><si><t>" + std::string(5000, 'x') + "</t></si></sst>";
  std::ofstream(path, std::ios::binary) << Zip({{"xl/workbook.xml", book}, {"xl/sharedStrings.xml", strings}});
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_RDONLY, &err);
  ASSERT_NE(z, nullptr);
  auto small = internal::Workbook::Open(z, 4096);
  ASSERT_FALSE(small);
  EXPECT_EQ(small.error().field, "xl/sharedStrings.xml");
  auto enough = internal::Workbook::Open(z, 8192);
  ASSERT_TRUE(enough) << enough.error().message;
  EXPECT_TRUE((*enough)->sheets().empty());  // its sheet's part is missing: nothing to read
  EXPECT_FALSE((*enough)->ReadAsText("xl/sharedStrings.xml"));
  EXPECT_FALSE((*enough)->ReadAsText("xl/theme/theme1.xml"));
  EXPECT_TRUE((*enough)->ReadAsText("docProps/core.xml"));
  zip_close(z);
  std::remove(path.c_str());
}

// A sheet whose text is far larger than its XML (short cells naming long shared strings): the
// reader stops the parser while text waits and goes on where it stopped, row after row, in any
// size of read.
TEST(Workbook, ASheetLargerThanItsXmlIsReadWholeInAnySizeOfRead) {
  const std::string path = testing::TempDir() + "large-" + std::to_string(::getpid()) + ".xlsx";
  const std::string book = R"(<workbook><sheets><sheet name="S" sheetId="1"/></sheets></workbook>)";
  const std::string strings = "<sst><si><t>" + std::string(1000, 'x') + "</t></si><si><t>ssn 460-89-9847</t></si></sst>";
  std::string sheet = "<worksheet><sheetData>";
  for (int r = 1; r <= 3000; ++r) sheet += R"(<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row>)";
  sheet += "</sheetData></worksheet>";
  std::ofstream(path, std::ios::binary)
      << Zip({{"xl/workbook.xml", book}, {"xl/sharedStrings.xml", strings}, {"xl/worksheets/sheet1.xml", sheet}});
  const std::string row = std::string(1000, 'x') + "\tssn 460-89-9847\n";
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_RDONLY, &err);
  ASSERT_NE(z, nullptr);
  auto book_read = internal::Workbook::Open(z);
  ASSERT_TRUE(book_read);
  for (size_t read_size : {size_t{1}, size_t{4096}, size_t{3} << 20}) {
    internal::SheetReader reader(**book_read, 0);
    ASSERT_TRUE(reader.Start());
    EXPECT_EQ(reader.header_line(), 0u);  // a 1,000-byte cell is no label: the columns are A and B
    EXPECT_THAT(reader.header().names, testing::ElementsAre("A", "B"));
    std::string text, buf(read_size, '\0');
    for (long n; (n = reader.Read(buf.data(), buf.size())) > 0;) text.append(buf.data(), static_cast<size_t>(n));
    ASSERT_EQ(text.size(), 3000 * row.size()) << read_size;
    for (size_t at = 0; at < text.size(); at += row.size()) ASSERT_EQ(text.compare(at, row.size(), row), 0) << at;
  }
  zip_close(z);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace steward::scan
