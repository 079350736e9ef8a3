#include "fulfil/example.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <random>
#include <zip.h>
#include <zlib.h>

#include "core/calendar.h"
#include "core/secrets.h"
#include "core/text.h"

namespace steward::fulfil {
namespace {

using connect::Cell;
using connect::Kind;
using connect::Row;

constexpr const char* kSchema = R"sql(
CREATE TABLE customers (id BIGINT PRIMARY KEY, email VARCHAR(200) NOT NULL, phone VARCHAR(30),
  first_name VARCHAR(100), last_name VARCHAR(100), birth_date DATE, status VARCHAR(20) NOT NULL,
  created_at TIMESTAMP NOT NULL, closed_at TIMESTAMP);
CREATE INDEX customers_email ON customers (email);
CREATE INDEX customers_phone ON customers (phone);
CREATE TABLE addresses (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL REFERENCES customers(id),
  street VARCHAR(200), city VARCHAR(100), state VARCHAR(2), zip VARCHAR(10), created_at TIMESTAMP);
CREATE INDEX addresses_customer ON addresses (customer_id);
CREATE TABLE accounts (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL REFERENCES customers(id),
  username VARCHAR(100), plan VARCHAR(20), last_login_at TIMESTAMP, last_ip VARCHAR(45), created_at TIMESTAMP);
CREATE INDEX accounts_customer ON accounts (customer_id);
CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL REFERENCES customers(id),
  shipping_address_id BIGINT REFERENCES addresses(id), placed_at TIMESTAMP NOT NULL, total_cents BIGINT NOT NULL);
CREATE INDEX orders_customer ON orders (customer_id);
CREATE INDEX orders_address ON orders (shipping_address_id);
CREATE TABLE order_items (order_id BIGINT NOT NULL REFERENCES orders(id), line_no INTEGER NOT NULL,
  sku VARCHAR(20) NOT NULL, quantity INTEGER NOT NULL, price_cents BIGINT NOT NULL, PRIMARY KEY (order_id, line_no));
CREATE TABLE payments (id BIGINT PRIMARY KEY, order_id BIGINT NOT NULL REFERENCES orders(id),
  card_brand VARCHAR(20), card_last4 VARCHAR(4), paid_at TIMESTAMP, amount_cents BIGINT NOT NULL);
CREATE INDEX payments_order ON payments (order_id);
CREATE TABLE invoices (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL REFERENCES customers(id),
  order_id BIGINT REFERENCES orders(id), billing_name VARCHAR(200), billing_address VARCHAR(300),
  issued_at TIMESTAMP NOT NULL, amount_cents BIGINT NOT NULL);
CREATE INDEX invoices_customer ON invoices (customer_id);
CREATE INDEX invoices_order ON invoices (order_id);
CREATE TABLE support_tickets (id BIGINT PRIMARY KEY, customer_id BIGINT REFERENCES customers(id),
  opened_at TIMESTAMP NOT NULL, subject VARCHAR(200), body TEXT);
CREATE INDEX support_tickets_customer ON support_tickets (customer_id);
CREATE TABLE marketing_events (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL REFERENCES customers(id),
  kind VARCHAR(20) NOT NULL, campaign VARCHAR(50), at TIMESTAMP NOT NULL);
CREATE INDEX marketing_events_customer ON marketing_events (customer_id);
CREATE TABLE ad_shares (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL REFERENCES customers(id),
  partner VARCHAR(50) NOT NULL, hashed_email VARCHAR(64), shared_at TIMESTAMP NOT NULL);
CREATE INDEX ad_shares_customer ON ad_shares (customer_id);
)sql";

constexpr std::array kFirst = {"James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda",
                               "David", "Elizabeth", "Maria", "Wei", "Aisha", "Carlos", "Priya", "Noah",
                               "Olivia", "Mateo", "Sofia", "Kenji"};
constexpr std::array kLast = {"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
                              "Rodriguez", "Martinez", "Nguyen", "Kim", "Patel", "Lopez", "Chen", "Okafor"};
constexpr std::array kStreets = {"Oak St", "Maple Ave", "Pine Rd", "Cedar Ln", "Elm St", "Mission St", "Sunset Blvd"};
constexpr std::array kCities = {std::pair{"San Francisco", "CA"}, std::pair{"Los Angeles", "CA"},
                                std::pair{"Richmond", "VA"},      std::pair{"Denver", "CO"},
                                std::pair{"Hartford", "CT"},      std::pair{"Austin", "TX"},
                                std::pair{"Portland", "OR"},      std::pair{"Salt Lake City", "UT"}};
constexpr std::array kPartners = {"adnet", "socialads"};
constexpr std::array kCampaigns = {"spring-sale", "welcome", "winback", "newsletter"};

Cell Int(int64_t v) { return {Kind::kInt, std::to_string(v)}; }
Cell Text(std::string v) { return Cell::Text(std::move(v)); }

class Loader {
 public:
  Loader(connect::Connector& c, std::string table, std::vector<std::string> columns)
      : c_(c), table_(std::move(table)), columns_(std::move(columns)) {}
  Status Add(Row row) {
    rows_.push_back(std::move(row));
    ++total_;
    return {};
  }
  Status Flush() {
    if (rows_.empty()) return {};
    RETURN_IF_ERROR(c_.BulkInsert(table_, columns_, rows_));
    rows_.clear();
    return {};
  }
  int64_t total() const { return total_; }
  size_t pending() const { return rows_.size(); }

 private:
  connect::Connector& c_;
  std::string table_;
  std::vector<std::string> columns_;
  std::vector<Row> rows_;
  int64_t total_ = 0;
};

}  // namespace

std::string ExampleEmail(int64_t i) {
  // Stored lowercased, as most systems normalise addresses; requests are matched the same way.
  std::string email = fmt::format("{}.{}{}@example.com", kFirst[static_cast<size_t>(i) % kFirst.size()],
                                  kLast[static_cast<size_t>(i / 7) % kLast.size()], i);
  std::ranges::transform(email, email.begin(), [](unsigned char c) { return std::tolower(c); });
  return email;
}

Result<ExampleStats> GenerateExample(connect::Connector& connector, const ExampleOptions& options) {
  if (options.customers < 1 || options.customers > 100'000'000) {
    return Fail(ErrorCode::kInvalidArgument, "must be between 1 and 100000000", "customers");
  }
  ASSIGN_OR_RETURN(Date now, ParseDate(options.now));
  ASSIGN_OR_RETURN(connect::Schema existing, connector.Introspect());
  if (existing.FindTable("customers")) {
    return Fail(ErrorCode::kConflict, "the database already has a customers table; generate into an empty one", "into");
  }
  RETURN_IF_ERROR(connector.ExecScript(kSchema));
  std::mt19937_64 rng(options.seed);
  auto uniform = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
  const auto today = std::chrono::sys_days(now);
  auto day = [&](int64_t days_ago) { return today - std::chrono::days(days_ago); };
  auto stamp = [&](std::chrono::sys_days d) {
    return Text(fmt::format("{} {:02}:{:02}:{:02}", FormatDate(Date(d)), uniform(0, 23), uniform(0, 59), uniform(0, 59)));
  };

  Loader customers(connector, "customers",
                   {"id", "email", "phone", "first_name", "last_name", "birth_date", "status", "created_at", "closed_at"});
  Loader addresses(connector, "addresses", {"id", "customer_id", "street", "city", "state", "zip", "created_at"});
  Loader accounts(connector, "accounts", {"id", "customer_id", "username", "plan", "last_login_at", "last_ip", "created_at"});
  Loader orders(connector, "orders", {"id", "customer_id", "shipping_address_id", "placed_at", "total_cents"});
  Loader items(connector, "order_items", {"order_id", "line_no", "sku", "quantity", "price_cents"});
  Loader payments(connector, "payments", {"id", "order_id", "card_brand", "card_last4", "paid_at", "amount_cents"});
  Loader invoices(connector, "invoices",
                  {"id", "customer_id", "order_id", "billing_name", "billing_address", "issued_at", "amount_cents"});
  Loader tickets(connector, "support_tickets", {"id", "customer_id", "opened_at", "subject", "body"});
  Loader events(connector, "marketing_events", {"id", "customer_id", "kind", "campaign", "at"});
  Loader shares(connector, "ad_shares", {"id", "customer_id", "partner", "hashed_email", "shared_at"});
  int64_t address_id = 0, order_id = 0, payment_id = 0, invoice_id = 0, ticket_id = 0, event_id = 0, share_id = 0;

  // Parents before children, so foreign keys hold at every flush.
  const std::array<Loader*, 10> all = {&customers, &addresses, &accounts, &orders, &items,
                                       &payments,  &invoices,  &tickets,  &events, &shares};
  for (int64_t i = 1; i <= options.customers; ++i) {
    if (orders.pending() >= 20000 || customers.pending() >= 20000) {
      for (Loader* l : all) RETURN_IF_ERROR(l->Flush());
    }
    const std::string first = kFirst[static_cast<size_t>(i) % kFirst.size()];
    const std::string last = kLast[static_cast<size_t>(i / 7) % kLast.size()];
    const std::string email = ExampleEmail(i);
    const std::string phone = fmt::format("+1{}{:03}{:04}", 200 + i % 700, i / 10000 % 1000, i % 10000);
    const int64_t age_days = uniform(1, 3650);  // customer since, up to ten years ago
    const bool closed = uniform(0, 99) < 20;
    const int64_t closed_ago = closed ? uniform(0, age_days - 1 > 0 ? age_days - 1 : 0) : 0;
    const std::string birth = FormatDate(Date(day(uniform(18 * 365, 80 * 365))));
    RETURN_IF_ERROR(customers.Add({Int(i), Text(email), Text(phone), Text(first), Text(last), Text(birth),
                                   Text(closed ? "closed" : "active"), stamp(day(age_days)),
                                   closed ? stamp(day(closed_ago)) : Cell::Null()}));
    const auto [city, state] = kCities[static_cast<size_t>(uniform(0, kCities.size() - 1))];
    const std::string street = fmt::format("{} {}", uniform(1, 9999), kStreets[static_cast<size_t>(uniform(0, kStreets.size() - 1))]);
    const std::string zip = fmt::format("{:05}", uniform(10000, 99950));
    const int64_t my_address = ++address_id;
    RETURN_IF_ERROR(addresses.Add({Int(my_address), Int(i), Text(street), Text(city), Text(state), Text(zip), stamp(day(age_days))}));
    if (uniform(0, 9) == 0) {
      RETURN_IF_ERROR(addresses.Add({Int(++address_id), Int(i), Text(fmt::format("{} Market St", uniform(1, 999))),
                                     Text("San Francisco"), Text("CA"), Text("94103"), stamp(day(uniform(0, age_days)))}));
    }
    RETURN_IF_ERROR(accounts.Add({Int(i), Int(i), Text(fmt::format("{}{}", first, i)), Text(uniform(0, 3) ? "basic" : "plus"),
                                  stamp(day(closed ? closed_ago : uniform(0, 60))),
                                  Text(fmt::format("198.51.{}.{}", uniform(0, 255), uniform(1, 254))), stamp(day(age_days))}));
    const int64_t n_orders = uniform(0, 4);
    for (int64_t o = 0; o < n_orders; ++o) {
      const int64_t id = ++order_id;
      const int64_t placed = uniform(closed_ago, age_days);
      const int64_t lines = uniform(1, 3);
      int64_t total = 0;
      for (int64_t l = 1; l <= lines; ++l) {
        const int64_t qty = uniform(1, 3), price = uniform(299, 9999);
        total += qty * price;
        RETURN_IF_ERROR(items.Add({Int(id), Int(l), Text(fmt::format("SKU-{:05}", uniform(1, 500))), Int(qty), Int(price)}));
      }
      RETURN_IF_ERROR(orders.Add({Int(id), Int(i), Int(my_address), stamp(day(placed)), Int(total)}));
      RETURN_IF_ERROR(payments.Add({Int(++payment_id), Int(id), Text(uniform(0, 1) ? "visa" : "mastercard"),
                                    Text(fmt::format("{:04}", uniform(0, 9999))), stamp(day(placed)), Int(total)}));
      RETURN_IF_ERROR(invoices.Add({Int(++invoice_id), Int(i), Int(id), Text(first + " " + last),
                                    Text(fmt::format("{}, {}, {} {}", street, city, state, zip)), stamp(day(placed)),
                                    Int(total)}));
    }
    for (int64_t t = uniform(0, 2); t > 0; --t) {
      RETURN_IF_ERROR(tickets.Add({Int(++ticket_id), Int(i), stamp(day(uniform(closed_ago, age_days))),
                                   Text("Question about my order"),
                                   Text(fmt::format("Hi, this is {} {}. Please reach me at {} or call {}. My order "
                                                    "has not arrived.",
                                                    first, last, email, phone))}));
    }
    for (int64_t e = uniform(0, 4); e > 0; --e) {
      RETURN_IF_ERROR(events.Add({Int(++event_id), Int(i), Text(uniform(0, 1) ? "open" : "click"),
                                  Text(kCampaigns[static_cast<size_t>(uniform(0, kCampaigns.size() - 1))]),
                                  stamp(day(uniform(closed_ago, age_days)))}));
    }
    for (int64_t s = uniform(0, 1); s > 0; --s) {
      RETURN_IF_ERROR(shares.Add({Int(++share_id), Int(i), Text(kPartners[static_cast<size_t>(uniform(0, 1))]),
                                  Text(Sha256Hex(email)), stamp(day(uniform(closed_ago, std::max(closed_ago, std::min<int64_t>(age_days, 700)))))}));
    }
  }
  ExampleStats stats;
  for (Loader* l : all) {
    RETURN_IF_ERROR(l->Flush());
    stats.rows += l->total();
  }
  return stats;
}

namespace {

std::string WithLuhnDigit(std::string digits) {
  int sum = 0;
  bool dbl = true;
  for (size_t i = digits.size(); i-- > 0;) {
    int d = digits[i] - '0';
    if (dbl) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
    dbl = !dbl;
  }
  return digits + static_cast<char>('0' + (10 - sum % 10) % 10);
}

}  // namespace

Status GenerateExampleLogs(const std::string& dir, int64_t lines, uint64_t seed) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Fail(ErrorCode::kInvalidArgument, "cannot create the directory: " + ec.message(), dir);
  std::mt19937_64 rng(seed);
  auto pick = [&](uint64_t n) { return static_cast<size_t>(rng() % n); };
  auto digits = [&](int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += static_cast<char>('0' + pick(10));
    return s;
  };
  std::string planted;
  auto plant = [&](const std::string& file, int64_t line, std::string_view detector) {
    planted += fmt::format("{}\t{}\t{}\n", file, line, detector);
  };
  auto person = [&](size_t i) {
    return std::pair<std::string, std::string>(kFirst[i % kFirst.size()], kLast[(i / 7) % kLast.size()]);
  };

  // Web access log: client IPs (personal), query strings with emails; decoy: version strings.
  {
    std::ofstream out(dir + "/web-access.log");
    for (int64_t n = 1; n <= lines; ++n) {
      const int first = 23 + pick(170);  // a public address: not 127, this host's
      std::string ip = fmt::format("{}.{}.{}.{}", first == 127 ? 126 : first, pick(256), pick(256), 1 + pick(254));
      std::string path = "/products/" + digits(5);
      std::string agent = fmt::format("AcmeApp/{}.{}.{}.{} (Linux)", pick(9), pick(20), pick(10), pick(100));  // decoy
      bool email = n % 17 == 0;
      if (email) {
        auto [first, last] = person(static_cast<size_t>(n));
        path = fmt::format("/account/login?email={}.{}{}@mailbox-acme.net", AsciiLower(first), AsciiLower(last), n);
      }
      out << fmt::format("{} - - [12/Nov/2026:10:{:02}:{:02} +0000] \"GET {} HTTP/1.1\" 200 {} \"-\" \"{}\"\n", ip, n / 60 % 60, n % 60,
                         path, 200 + pick(5000), agent);
      plant("web-access.log", n, "ipv4");
      if (email) plant("web-access.log", n, "email");
    }
  }
  // Application log: a mix of every kind the shop could leak, one planted kind per line at most,
  // and decoys on the other lines.
  {
    std::ofstream out(dir + "/app.log");
    for (int64_t n = 1; n <= lines; ++n) {
      auto [first, last] = person(static_cast<size_t>(n) * 3);
      std::string ts = fmt::format("2026-11-{:02}T{:02}:{:02}:{:02}Z", 1 + n % 28, n % 24, n % 60, (n * 7) % 60);
      std::string line;
      std::string_view kind;
      switch (n % 12) {
        case 0:
          line = fmt::format("INFO signup name=\"{} {}\" plan=basic", first, last);
          kind = "person_name";
          break;
        case 1:
          line = fmt::format("DEBUG payment authorised card={} amount=1999", WithLuhnDigit("4" + digits(14)));
          kind = "credit_card";
          break;
        case 2: {
          size_t area = 200 + pick(700);
          if (area % 100 == 11) ++area;  // N11 codes are services, not area codes
          line = fmt::format("WARN support callback requested phone=+1-{}-{}-{}", area, 200 + pick(700), digits(4));
          kind = "phone";
          break;
        }
        case 3:
          line = fmt::format("INFO delivery geo={}.{}, -{}.{}", 30 + pick(15), digits(6), 80 + pick(40), digits(6));
          kind = "geolocation";
          break;
        case 4:
          line = fmt::format("ERROR kyc check failed ssn={}-{}-{}", 100 + pick(500), 10 + pick(89), 1000 + pick(8999));
          kind = "us_ssn";
          break;
        case 5:
          line = fmt::format("DEBUG refund to iban={}", "DE89370400440532013000");
          kind = "iban";
          break;
        case 6:
          line = fmt::format("INFO device registered mac={:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", 2 + pick(200), pick(256), pick(256),
                             pick(256), pick(256), pick(256));
          kind = "mac_address";
          break;
        // Decoys: nothing personal may be reported on these lines.
        case 7: {
          std::string order = "9" + digits(14);
          std::string bad = order + static_cast<char>('0' + (WithLuhnDigit(order).back() - '0' + 1) % 10);
          line = fmt::format("INFO order {} shipped in {} parcels", bad, 1 + pick(3));
          break;
        }
        case 8:
          line = fmt::format("INFO agent upgraded to version {}.{}.{}.{}", pick(9), pick(20), pick(10), pick(100));
          break;
        case 9:
          line = "INFO catalogue import isbn 978-0-306-40615-7 ok";
          break;
        case 10:
          line = fmt::format("DEBUG request id {:08x}-{:04x}-4{:03x}-a{:03x}-{:012x} took {}ms", rng() & 0xffffffff, pick(65536),
                             pick(4096), pick(4096), rng() & 0xffffffffffff, pick(900));
          break;
        default:
          line = fmt::format("INFO cache hit ratio 0.{} at {}", digits(3), ts);
          break;
      }
      out << ts << " " << line << "\n";
      if (!kind.empty()) plant("app.log", n, kind);
    }
  }
  // A gzipped CSV export: names, emails and bare dates of birth, which only the header says are
  // (the scanner reads CSV files with a header as tables).
  {
    std::string csv = "id,full_name,email,date_of_birth\n";
    for (int64_t n = 1; n <= std::max<int64_t>(1, lines / 10); ++n) {
      auto [first, last] = person(static_cast<size_t>(n) * 5);
      csv += fmt::format("{},{} {},{}{}@mailbox-acme.net,{}-{:02}-{:02}\n", n, first, last, AsciiLower(first), n, 1950 + pick(50),
                         1 + pick(12), 1 + pick(28));
      plant("exports/customers.csv.gz", n + 1, "person_name");
      plant("exports/customers.csv.gz", n + 1, "email");
      plant("exports/customers.csv.gz", n + 1, "date_of_birth");
    }
    fs::create_directories(dir + "/exports", ec);
    gzFile gz = gzopen((dir + "/exports/customers.csv.gz").c_str(), "wb");
    if (gz == nullptr) return Fail(ErrorCode::kInvalidArgument, "cannot write the export", dir + "/exports/customers.csv.gz");
    gzwrite(gz, csv.data(), static_cast<unsigned>(csv.size()));
    gzclose(gz);
  }
  // A spreadsheet from HR: bare SSNs and bank accounts that only the header says are, typed
  // into the sheet as numbers; employee ids of nine digits and hire dates are decoys.
  {
    static constexpr std::array<std::string_view, 4> kRouting = {"011000015", "021000021", "026009593", "121000358"};
    std::string rows = R"(<row r="1"><c r="A1" t="inlineStr"><is><t>Employee ID</t></is></c><c r="B1" t="inlineStr"><is><t>Employee Name</t></is></c>)"
                       R"(<c r="C1" t="inlineStr"><is><t>SSN</t></is></c><c r="D1" t="inlineStr"><is><t>Bank Account</t></is></c>)"
                       R"(<c r="E1" t="inlineStr"><is><t>Routing Number</t></is></c><c r="F1" t="inlineStr"><is><t>Hired</t></is></c></row>)";
    const std::string sheet_name = "exports/staff.xlsx!Staff";
    for (int64_t n = 2; n <= std::max<int64_t>(2, lines / 20 + 1); ++n) {
      auto [first, last] = person(static_cast<size_t>(n) * 11);
      rows += fmt::format(R"(<row r="{0}"><c r="A{0}"><v>{1}</v></c><c r="B{0}" t="inlineStr"><is><t>{2} {3}</t></is></c>)"
                          R"(<c r="C{0}"><v>{4}{5}{6}</v></c><c r="D{0}" t="inlineStr"><is><t>{7}</t></is></c>)"
                          R"(<c r="E{0}" t="inlineStr"><is><t>{8}</t></is></c><c r="F{0}" s="1"><v>{9}</v></c></row>)",
                          n, 100000000 + pick(899999999), first, last, 100 + pick(500), 10 + pick(89), 1000 + pick(8999),
                          "00" + digits(8), kRouting[pick(kRouting.size())], 40000 + pick(6000));
      plant(sheet_name, n, "person_name");
      plant(sheet_name, n, "us_ssn");
      plant(sheet_name, n, "us_bank_account");
      plant(sheet_name, n, "aba_routing");
    }
    const std::string sheet = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)" "\n"
                              R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)" + rows +
                              "</sheetData></worksheet>";
    static const std::string kBook = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)" "\n"
        R"(<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)"
        R"(<sheets><sheet name="Staff" sheetId="1" r:id="rId1"/></sheets></workbook>)";
    static const std::string kRels = R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
        R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>)"
        R"(<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>)";
    static const std::string kStyles = R"(<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)"
        R"(<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>)";
    static const std::string kTypes = R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
        R"(<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>)"
        R"(<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>)"
        R"(<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>)"
        R"(<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>)";
    static const std::string kRootRels = R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
        R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>)";
    const std::string path = dir + "/exports/staff.xlsx";
    int err = 0;
    zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    if (z == nullptr) return Fail(ErrorCode::kInvalidArgument, "cannot write the spreadsheet", path);
    bool added = true;
    for (const auto& [member, text] : std::initializer_list<std::pair<const char*, const std::string*>>{
             {"[Content_Types].xml", &kTypes}, {"_rels/.rels", &kRootRels}, {"xl/workbook.xml", &kBook},
             {"xl/_rels/workbook.xml.rels", &kRels}, {"xl/styles.xml", &kStyles}, {"xl/worksheets/sheet1.xml", &sheet}}) {
      zip_source_t* source = zip_source_buffer(z, text->data(), text->size(), 0);
      added = added && source != nullptr && zip_file_add(z, member, source, ZIP_FL_ENC_UTF_8) >= 0;
    }
    if (!added || zip_close(z) != 0) {
      if (!added) zip_discard(z);
      return Fail(ErrorCode::kInvalidArgument, "cannot write the spreadsheet", path);
    }
  }
  std::ofstream key(dir + "/planted.tsv");
  key << planted;
  if (!key) return Fail(ErrorCode::kInvalidArgument, "cannot write planted.tsv", dir);
  return Ok();
}

}  // namespace steward::fulfil
