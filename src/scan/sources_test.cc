// Sources, reports and drift on real files, archives and a real SQLite database.
#include "scan/sources.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "connect/testing.h"
#include "fulfil/example.h"
#include "scan/drift.h"
#include "scan/internal/xls.h"
#include "scan/report.h"
#include "scan/zip_testing.h"

namespace steward::scan {
namespace {

namespace fs = std::filesystem;

class Collect : public FindingSink {
 public:
  explicit Collect(const Engine& e) : engine(e) {}
  void OnFinding(const Finding& f) override {
    if (f.confidence >= 0.5) findings.push_back(f);
  }
  void OnProblem(const std::string& source, const std::string& message) override { problems.emplace_back(source, message); }
  std::set<std::tuple<std::string, uint64_t, std::string>> Keys(const std::string& root) const {
    std::set<std::tuple<std::string, uint64_t, std::string>> out;
    for (const Finding& f : findings) out.emplace(fs::relative(f.source, root).string(), f.line, engine.detectors()[f.detector].id);
    return out;
  }
  // Each finding as (its source under root, line, column, field, detector, value).
  using Place = std::tuple<std::string, uint64_t, uint64_t, std::string, std::string, std::string>;
  std::vector<Place> Places(const fs::path& root) const {
    std::vector<Place> out;
    for (const Finding& f : findings)
      out.emplace_back(fs::relative(f.source, root).string(), f.line, f.column, f.field, engine.detectors()[f.detector].id, f.value);
    return out;
  }
  const Engine& engine;
  std::vector<Finding> findings;
  std::vector<std::pair<std::string, std::string>> problems;
};

const Engine& TheEngine() {
  static auto engine = *Engine::Build({.cache_dir = testing::TempDir() + "steward-scan-cache"});
  return *engine;
}


class SourcesTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(testing::TempDir()) / ("scan-" + std::to_string(::getpid()) + "-" +
                                            testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& name, std::string_view text) {
    fs::create_directories((dir_ / name).parent_path());
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  // A file of tests/fixtures, whole ("xlsx/people.xlsx").
  static std::string Fixture(const std::string& name) {
    std::ifstream in(fs::path(STEWARD_SOURCE_DIR) / "tests/fixtures" / name, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  fs::path dir_;
};

// The acceptance case: Acme's logs, with personal data planted at known lines and decoys
// around it, produce exactly the planted findings — nothing missing, nothing extra.
TEST_F(SourcesTest, ExampleLogsYieldExactlyThePlantedFindings) {
  ASSERT_TRUE(fulfil::GenerateExampleLogs(dir_.string(), 600));
  std::set<std::tuple<std::string, uint64_t, std::string>> planted;
  std::ifstream key(dir_ / "planted.tsv");
  std::string file, detector;
  uint64_t line;
  while (key >> file >> line >> detector) planted.emplace(file, line, detector);
  ASSERT_GT(planted.size(), 1000u);
  for (int threads : {1, 2}) {
    Collect sink(TheEngine());
    auto stats = ScanPaths(TheEngine(), {dir_.string()}, {.threads = threads, .buffer_bytes = 4096}, sink);
    ASSERT_TRUE(stats);
    EXPECT_EQ(stats->files, 5u);
    auto found = sink.Keys(dir_.string());
    std::vector<std::tuple<std::string, uint64_t, std::string>> missing, extra;
    std::ranges::set_difference(planted, found, std::back_inserter(missing));
    std::ranges::set_difference(found, planted, std::back_inserter(extra));
    EXPECT_THAT(missing, testing::IsEmpty()) << "threads " << threads;
    EXPECT_THAT(extra, testing::IsEmpty()) << "threads " << threads;
  }
}

// A large file shared out in pieces between workers gives the same findings, in the same order,
// at the same lines and columns, as one worker reading it whole: pieces start at line starts, and
// their lines are counted on from the pieces before. A binary file too large to be read whole is
// skipped all the same.
TEST_F(SourcesTest, LargeFilesSplitBetweenWorkersReportAsIfReadWhole) {
  std::string big;
  for (int i = 0; i < 20000; ++i) {
    big += "2026-11-05T10:04:28Z INFO req=" + std::to_string(i) + " " + std::string(static_cast<size_t>(i % 97), 'x');
    if (i % 13 == 0) big += " user" + std::to_string(i) + "@mailbox-acme.net";
    if (i % 17 == 0) big += " ssn 460-89-" + std::to_string(1000 + i % 9000);
    if (i % 19 == 0) big += " visa 4111 1111 1111 1111";
    big += '\n';
  }
  big += "no newline at the end 460-89-9847";
  Write("big.log", big);
  Write("small.log", "one a.person@mailbox-acme.net\n");
  std::string binary(300000, 'a');
  binary[100] = '\0';
  binary += " a.person@mailbox-acme.net\n";
  Write("blob.bin", binary);
  auto run = [&](int threads, uint64_t split_bytes) {
    Collect sink(TheEngine());
    auto stats = ScanPaths(TheEngine(), {dir_.string()}, {.threads = threads, .buffer_bytes = 4096, .split_bytes = split_bytes}, sink);
    EXPECT_TRUE(stats);
    if (stats) {
      EXPECT_EQ(stats->files, 3u);
      EXPECT_EQ(stats->skipped_binary, 1u);
      EXPECT_GE(stats->bytes, big.size() + 30);
    }
    std::map<std::string, std::vector<std::tuple<uint64_t, uint64_t, int, std::string>>> by_file;
    for (const Finding& f : sink.findings) by_file[fs::path(f.source).filename().string()].emplace_back(f.line, f.column, f.detector, f.value);
    return by_file;
  };
  auto whole = run(1, 0);
  ASSERT_GT(whole["big.log"].size(), 3000u);
  EXPECT_EQ(std::get<0>(whole["big.log"].back()), 20001u);  // the last line, without a newline
  EXPECT_EQ(run(2, 4096), whole);
  EXPECT_EQ(run(3, 100000), whole);
}

// A CSV file with a header is read as a table. Each finding names its cell's column; a column
// whose name gives its values context is scanned after it, so bare SSNs, phone numbers, dates of
// birth, ZIP codes and unknown first names under their headers are found (the same rows as text
// hold none of them); a lone weak name counts only in a column named for a person (not the city
// "Jackson"). Positions stay the file's: line and byte column, in quoted cells and after doubled
// quotes too.
TEST_F(SourcesTest, CsvFilesWithAHeaderAreReadAsTables) {
  const std::string row1 = "1,Quionia,460899847,4155550123,1984-03-12,94110,Jackson,\"Called, said \"\"hi\"\"; mail q.v@mailbox-acme.net\"";
  const std::string row2 = "2,\"Akifumi\",\"536227000\",2125550147,1971-11-02,60614-1234,Springfield,";
  const std::string rows = "id,first_name,ssn,phone,birth_date,zip,city,notes\n" + row1 + "\n" + row2 + "\r\n";
  Write("users.csv", rows);
  Write("users.txt", rows);
  Collect sink(TheEngine());
  ASSERT_TRUE(ScanPaths(TheEngine(), {dir_.string()}, {.threads = 1}, sink));
  std::vector<std::tuple<uint64_t, uint64_t, std::string, std::string, std::string>> csv;
  std::set<std::string> text_kinds;
  for (const Finding& f : sink.findings) {
    const std::string id = TheEngine().detectors()[f.detector].id;
    if (f.source.ends_with(".csv")) csv.emplace_back(f.line, f.column, f.field, id, f.value);
    else text_kinds.insert(id);
  }
  auto at = [](const std::string& row, std::string_view what) { return static_cast<uint64_t>(row.find(what) + 1); };
  using Row = std::tuple<uint64_t, uint64_t, std::string, std::string, std::string>;
  EXPECT_THAT(csv, testing::ElementsAre(Row{2, 3, "first_name", "person_name", "Quionia"},
                                        Row{2, 11, "ssn", "us_ssn", "460899847"},
                                        Row{2, 21, "phone", "phone", "4155550123"},
                                        Row{2, 32, "birth_date", "date_of_birth", "1984-03-12"},
                                        Row{2, 43, "zip", "us_zip", "94110"},
                                        Row{2, at(row1, "q.v@"), "notes", "email", "q.v@mailbox-acme.net"},
                                        Row{3, 4, "first_name", "person_name", "Akifumi"},
                                        Row{3, at(row2, "536227000"), "ssn", "us_ssn", "536227000"},
                                        Row{3, at(row2, "2125550147"), "phone", "phone", "2125550147"},
                                        Row{3, at(row2, "1971"), "birth_date", "date_of_birth", "1971-11-02"},
                                        Row{3, at(row2, "60614"), "zip", "us_zip", "60614-1234"}));
  EXPECT_THAT(text_kinds, testing::ElementsAre("email", "person_name"));  // the address, and "Jackson" as a weak name

  // Drift names the column once, at the first line it was found on, not each row.
  Declared declared;
  declared.name = "inventory.yaml";
  declared.categories.push_back({.id = "identifiers", .fideslang = {"user.contact", "user.name"}, .ccpa = inventory::CcpaCategory::kA});
  std::vector<Finding> csv_findings;
  std::copy_if(sink.findings.begin(), sink.findings.end(), std::back_inserter(csv_findings), [](const Finding& f) { return f.source.ends_with(".csv"); });
  std::vector<std::string> undeclared;
  for (const DriftItem& item : CompareWithDeclared(TheEngine(), csv_findings, declared))
    if (item.kind == DriftItem::Kind::kUndeclared) undeclared.push_back(fs::path(item.where).filename().string() + " " + item.detector);
  EXPECT_THAT(undeclared, testing::UnorderedElementsAre("users.csv:2 (column ssn) us_ssn", "users.csv:2 (column birth_date) date_of_birth"));
}

// A record whose quoted cell spans lines is one record, each value at its own line and column.
// What a CSV file's header cannot vouch for is read as text: the lines after a quote never
// closed, a file without a header, a line that is no record (the record after each is a record
// again). Semicolons (with a byte-order mark) and tabs (.tsv) delimit as commas do, and a
// file shared out in pieces between workers reads as if whole: each piece knows the header.
// Values seen in earlier blocks are not scanned again (small buffers: many blocks), and that
// changes nothing either.
TEST_F(SourcesTest, CsvFilesKeepTheirPlaceAcrossQuotedLinesDelimitersAndPieces) {
  Write("eu.csv", "\xef\xbb\xbfid;Name;ssn\n1;\"Notes that\nspan 460-89-9847 lines\";536227000\n2;Quionia;536227004\n3;x\"y;536227001\n"
                  "4;Rubija;536227002\n5;\"a quote never closed\n6;Quionia;536227003\n");
  Write("people.tsv", "given_name\tssn\nQuionia\t460899847\n");
  Write("bare.csv", "1,460899847\n2,536227000\n");
  Collect sink(TheEngine());
  ASSERT_TRUE(ScanPaths(TheEngine(), {dir_.string()}, {.threads = 1}, sink));
  std::set<std::tuple<std::string, uint64_t, std::string, std::string>> found;
  for (const Finding& f : sink.findings)
    found.emplace(fs::path(f.source).filename().string(), f.line, f.field, TheEngine().detectors()[f.detector].id);
  EXPECT_EQ(found, (std::set<std::tuple<std::string, uint64_t, std::string, std::string>>{
                       {"eu.csv", 3, "Name", "us_ssn"},  // a quoted cell spanning lines: one record, each value at its line
                       {"eu.csv", 3, "ssn", "us_ssn"},
                       {"eu.csv", 4, "ssn", "us_ssn"},  // the record right after it
                       // line 5: a stray quote, no record; line 8: in a quote never closed, text only
                       {"eu.csv", 6, "ssn", "us_ssn"},
                       {"people.tsv", 2, "given_name", "person_name"},
                       {"people.tsv", 2, "ssn", "us_ssn"}}));

  std::string big = "customer_name,ssn,contact\n";
  for (int i = 0; i < 6000; ++i)
    big += fmt::format("{},{}-{:02}-{:04},\"{}, user{}@mailbox-acme.net\"\n", i % 7 == 0 ? "Quionia Vasquez" : "n/a", 100 + i % 500,
                       10 + i % 80, 1000 + i, i % 3 == 0 ? "Thanks" : "ok", i);
  Write("big/export.csv", big);
  auto run = [&](int threads, uint64_t split_bytes, size_t buffer_bytes = 4096) {
    Collect each(TheEngine());
    EXPECT_TRUE(ScanPaths(TheEngine(), {(dir_ / "big").string()},
                          {.threads = threads, .buffer_bytes = buffer_bytes, .split_bytes = split_bytes}, each));
    std::vector<std::tuple<uint64_t, uint64_t, std::string, int, std::string>> out;
    for (const Finding& f : each.findings) out.emplace_back(f.line, f.column, f.field, f.detector, f.value);
    return out;
  };
  const auto whole = run(1, 0);
  EXPECT_GT(whole.size(), 12800u);  // 6000 SSNs, 6000 emails, 858 names
  EXPECT_EQ(run(2, 8192), whole);
  EXPECT_EQ(run(1, 0, 4 << 20), whole);  // one block

  // Records whose quoted cell spans lines, some across the end of a block or a piece: each is
  // read as one record all the same (the block ends, the piece starts, before it), its bare SSN
  // found under its column.
  std::string notes = "customer_name,notes,ssn\n";
  for (int i = 0; i < 600; ++i)
    notes += fmt::format("{},\"called {} times,\nsee ticket {}\n(closed)\",{}\n", i % 7 == 0 ? "Quionia Vasquez" : "n/a", i % 9, 7000 + i,
                         536227000 + i % 1000);
  fs::remove_all(dir_ / "big");
  Write("big/notes.csv", notes);
  const auto blocks = run(1, 0);
  EXPECT_EQ(blocks, run(1, 0, 4 << 20));
  EXPECT_EQ(run(2, 8192), blocks);  // pieces start outside quoted cells too
  EXPECT_EQ(std::count_if(blocks.begin(), blocks.end(), [](const auto& f) { return std::get<2>(f) == "ssn"; }), 600);
}

// Names in a CSV file's columns as a database table's: a column named for a person, or for a
// person's role ("Patient"), is read under a key the name rules know ("given", "MothersMaiden"
// and "Patient" hold unknown names), a username is a handle, and in a column of places or firms
// a minority of values that read like names ("São Paulo", "Bennett Brothers", which the same
// rows as text report) are that column's own kind; a "Customer" is a firm as often as a person,
// and its column's firms are none.
TEST_F(SourcesTest, NamesInCsvColumnsAreJudgedAsInATable) {
  const std::string rows =
      "id,given,MothersMaiden,Username,City,Employer,Patient,Customer\n"
      "1,Quionia,Elomo,Wasco1982,S\xc3\xa3o Paulo,Bennett Brothers,Rubija Libersar,Acme Corp\n"
      "2,Akifumi,Tanaka,jdoe,Springfield,Acme Corp,,Initech\n"
      "3,Mehrudin,Vasquez,mary77,Denver,Initech,,Globex Corporation\n";
  Write("people.csv", rows);
  Write("people.txt", rows);
  Collect sink(TheEngine());
  ASSERT_TRUE(ScanPaths(TheEngine(), {dir_.string()}, {.threads = 1}, sink));
  std::multiset<std::string> csv, text;
  for (const Finding& f : sink.findings) {
    ASSERT_EQ(TheEngine().detectors()[f.detector].id, "person_name");
    (f.source.ends_with(".csv") ? csv : text).insert(f.field + ":" + f.value);
  }
  EXPECT_THAT(csv, testing::UnorderedElementsAre("given:Quionia", "given:Akifumi", "given:Mehrudin", "MothersMaiden:Elomo",
                                                 "MothersMaiden:Tanaka", "MothersMaiden:Vasquez", "Patient:Rubija Libersar"));
  EXPECT_THAT(text, testing::IsSupersetOf({":S\xc3\xa3o Paulo", ":Bennett Brothers"}));
}

// In a column named for one kind of data, a weak match of another kind is that kind's value
// misread: a national id read as a phone number is none; the same digits after "call" in free
// text still are.
TEST_F(SourcesTest, AWeakMatchOfAnotherKindInANamedCsvColumnIsNone) {
  Write("ids.csv", "id,NationalID,notes\n1,046 149 472,call 046 149 472\n");
  Collect sink(TheEngine());
  ASSERT_TRUE(ScanPaths(TheEngine(), {dir_.string()}, {.threads = 1}, sink));
  ASSERT_EQ(sink.findings.size(), 1u);
  EXPECT_EQ(sink.findings[0].field, "notes");
  EXPECT_EQ(TheEngine().detectors()[sink.findings[0].detector].id, "phone");
}

TEST_F(SourcesTest, LooksInsideGzipAndZipAndSkipsBinaries) {
  std::string text = "first line\ncontact a.person@mailbox-acme.net\n";
  gzFile gz = gzopen((dir_ / "a.log.gz").c_str(), "wb");
  gzwrite(gz, text.data(), static_cast<unsigned>(text.size()));
  gzclose(gz);
  int err = 0;
  zip_t* z = zip_open((dir_ / "b.zip").c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  static const std::string member = "x\ny\nssn 460-89-9847\n";
  zip_file_add(z, "inner/users.csv", zip_source_buffer(z, member.data(), member.size(), 0), 0);
  zip_close(z);
  static const char kBinary[] = "\x7f" "ELF\0\0 a.person@mailbox-acme.net";
  Write("c.bin", std::string(kBinary, sizeof kBinary - 1));
  Write("broken.zip", "PK\x03\x04 this is not really a zip");
  Collect sink(TheEngine());
  auto stats = ScanPaths(TheEngine(), {dir_.string()}, {}, sink);
  ASSERT_TRUE(stats);
  EXPECT_THAT(sink.Keys(dir_.string()),
              testing::UnorderedElementsAre(std::make_tuple("a.log.gz", 2u, "email"), std::make_tuple("b.zip!inner/users.csv", 3u, "us_ssn")));
  EXPECT_EQ(stats->skipped_binary, 1u);
  ASSERT_EQ(sink.problems.size(), 1u);
  EXPECT_THAT(sink.problems[0].first, testing::EndsWith("broken.zip"));
}

// A workbook as a spreadsheet library writes one (tests/fixtures/xlsx/people.xlsx, by ExcelJS:
// shared strings, dates as serial numbers in a date format, a hidden sheet, a sheet without a
// header) is read sheet by sheet as tables: each finding is at its cell (row and column number,
// the header's name), dates of birth are dates, the city "Jackson" is no person, and the author
// in the document's properties is found as text. The sheets' XML parts are not read again as
// text.
TEST_F(SourcesTest, SpreadsheetsAreReadSheetBySheetAsTables) {
  fs::copy_file(fs::path(STEWARD_SOURCE_DIR) / "tests/fixtures/xlsx/people.xlsx", dir_ / "people.xlsx");
  Collect sink(TheEngine());
  auto stats = ScanPaths(TheEngine(), {dir_.string()}, {.threads = 1}, sink);
  ASSERT_TRUE(stats);
  EXPECT_THAT(sink.problems, testing::IsEmpty());
  EXPECT_THAT(sink.Places(dir_), testing::UnorderedElementsAreArray(std::vector<Collect::Place>{
                         {"people.xlsx!Customers", 2, 2, "Full Name", "person_name", "Quionia Vasquez"},
                         {"people.xlsx!Customers", 2, 3, "E-mail", "email", "q.vasquez@mailbox-acme.net"},
                         {"people.xlsx!Customers", 2, 4, "Date of Birth", "date_of_birth", "1987-03-12"},
                         {"people.xlsx!Customers", 2, 5, "Mobile", "phone", "(415) 555-0132"},
                         {"people.xlsx!Customers", 3, 2, "Full Name", "person_name", "Enrico Bianchi"},
                         {"people.xlsx!Customers", 3, 3, "E-mail", "email", "enrico.b@mailbox-acme.net"},
                         {"people.xlsx!Customers", 3, 4, "Date of Birth", "date_of_birth", "1990-11-03"},
                         {"people.xlsx!Customers", 3, 5, "Mobile", "phone", "312-555-0199"},
                         {"people.xlsx!Customers", 3, 7, "Notes", "us_street_address", "742 Evergreen Terrace"},
                         {"people.xlsx!Customers", 4, 2, "Full Name", "person_name", "Akifumi Tanaka"},
                         {"people.xlsx!Customers", 4, 3, "E-mail", "email", "akifumi@mailbox-acme.net"},
                         {"people.xlsx!Customers", 4, 4, "Date of Birth", "date_of_birth", "1979-01-30"},
                         {"people.xlsx!Customers", 4, 5, "Mobile", "phone", "+1 646 555 0143"},
                         {"people.xlsx!Payroll", 2, 1, "Employee", "person_name", "Rubija Libersar"},  // a role's column
                         {"people.xlsx!Payroll", 2, 2, "SSN", "us_ssn", "536-22-7000"},
                         {"people.xlsx!Payroll", 2, 3, "Account Number", "us_bank_account", "000123456789"},
                         {"people.xlsx!Payroll", 2, 4, "Routing", "aba_routing", "011000015"},
                         {"people.xlsx!Payroll", 3, 1, "Employee", "person_name", "Per Cederqvist"},
                         {"people.xlsx!Payroll", 3, 2, "SSN", "us_ssn", "536227001"},
                         {"people.xlsx!Payroll", 3, 3, "Account Number", "us_bank_account", "000987654321"},
                         {"people.xlsx!Payroll", 3, 4, "Routing", "aba_routing", "021000021"},
                         {"people.xlsx!Scratch", 2, 2, "B", "phone", "415-555-0178"},
                         {"people.xlsx!docProps/core.xml", 2, 301, "", "person_name", "Maria Gonzalez"}}));

  // Reports name the cell as a spreadsheet does: "Payroll!B2".
  std::ostringstream table, jsonl, err;
  ReportWriter table_writer(TheEngine(), {.format = Format::kTable}, table, err);
  ASSERT_TRUE(ScanPaths(TheEngine(), {dir_.string()}, {}, table_writer));
  table_writer.Finish();
  EXPECT_THAT(table.str(), testing::HasSubstr("people.xlsx!Payroll!B2 (SSN) "));
  EXPECT_THAT(table.str(), testing::HasSubstr("people.xlsx!Scratch!B2 "));  // no header: the column's letter alone
  ReportWriter jsonl_writer(TheEngine(), {.format = Format::kJsonl}, jsonl, err);
  ASSERT_TRUE(ScanPaths(TheEngine(), {dir_.string()}, {}, jsonl_writer));
  jsonl_writer.Finish();
  EXPECT_THAT(jsonl.str(), testing::HasSubstr(R"({"ccpa":"L","cell":"B2","column":2,)"));
}

// The findings in tests/fixtures/xls/people.xls and ods/people.ods (one script writes both, by
// SheetJS), at their cells, `file` named as given.
std::vector<Collect::Place> PeopleSheets(const std::string& file) {
  std::vector<Collect::Place> places = {
      {"!Customers", 2, 2, "Full Name", "person_name", "Quionia Vasquez"},
      {"!Customers", 2, 3, "E-mail", "email", "q.vasquez@mailbox-acme.net"},
      {"!Customers", 2, 4, "Date of Birth", "date_of_birth", "1987-03-12"},
      {"!Customers", 2, 5, "Mobile", "phone", "(415) 555-0132"},
      {"!Customers", 3, 2, "Full Name", "person_name", "Enrico Bianchi"},
      {"!Customers", 3, 3, "E-mail", "email", "enrico.b@mailbox-acme.net"},
      {"!Customers", 3, 4, "Date of Birth", "date_of_birth", "1990-11-03"},
      {"!Customers", 3, 5, "Mobile", "phone", "312-555-0199"},
      {"!Customers", 3, 7, "Notes", "us_street_address", "742 Evergreen Terrace"},
      {"!Customers", 4, 2, "Full Name", "person_name", "Akifumi Tanaka"},
      {"!Customers", 4, 3, "E-mail", "email", "akifumi@mailbox-acme.net"},
      {"!Customers", 4, 4, "Date of Birth", "date_of_birth", "1979-01-30"},
      {"!Customers", 4, 5, "Mobile", "phone", "+1 646 555 0143"},
      {"!Payroll", 2, 1, "Employee", "person_name", "Rubija Libersar"},
      {"!Payroll", 2, 2, "SSN", "us_ssn", "536-22-7000"},
      {"!Payroll", 2, 3, "Account Number", "us_bank_account", "000123456789"},
      {"!Payroll", 2, 4, "Routing", "aba_routing", "011000015"},
      {"!Payroll", 3, 1, "Employee", "person_name", "Per Cederqvist"},
      {"!Payroll", 3, 2, "SSN", "us_ssn", "536227001"},  // a number, written as Excel shows it
      {"!Payroll", 3, 3, "Account Number", "us_bank_account", "000987654321"},
      {"!Payroll", 3, 4, "Routing", "aba_routing", "021000021"},
      {"!Scratch", 2, 2, "B", "phone", "415-555-0178"}  };
  for (auto& place : places) std::get<0>(place).insert(0, file);
  return places;
}

// An Excel 97-2003 workbook (tests/fixtures/xls/people.xls, by SheetJS: BIFF8, shared strings,
// numbers typed as numbers, dates as serial numbers in a date format) is read sheet by sheet as
// tables, as an .xlsx one is: each finding at its cell under its header's name, dates of birth
// as dates, the order numbers and dates of the Orders sheet nothing. Inside a zip archive it is
// read the same way. A workbook cut short is reported and changes nothing else; a compound file
// that holds no workbook (tests/fixtures/xls/memo.doc, as a Word 97 document) is read as any file
// is, and skipped as binary.
TEST_F(SourcesTest, ExcelBinaryWorkbooksAreReadSheetBySheetAsTables) {
  const std::string book = Fixture("xls/people.xls");
  ASSERT_GT(book.size(), 4096u);
  Write("people.xls", book);
  Write("exports/bundle.zip", Zip({{"q3/people.xls", book}}));
  Write("broken.xls", book.substr(0, 4096));
  Write("memo.doc", Fixture("xls/memo.doc"));  // a compound file with a WordDocument stream, by cfb
  // A broken workbook FreeXL crashes on (found by fuzz_scan_xls): its reader, a child process,
  // dies; the scan goes on.
  Write("crash.xls", Fixture("xls/crashes-freexl.xls"));
  Collect sink(TheEngine());
  // Files larger than split_bytes are shared out in pieces as text; a workbook never is.
  auto stats = ScanPaths(TheEngine(), {dir_.string()}, {.threads = 2, .split_bytes = 4096}, sink);
  ASSERT_TRUE(stats);
  using Row = Collect::Place;
  std::vector<Row> expected = PeopleSheets("people.xls");
  const size_t on_its_own = expected.size();
  for (size_t k = 0; k < on_its_own; ++k) {
    Row zipped = expected[k];
    std::get<0>(zipped) = "exports/bundle.zip!q3/" + std::get<0>(zipped);
    expected.push_back(zipped);
  }
  EXPECT_THAT(sink.Places(dir_), testing::UnorderedElementsAreArray(expected));
  ASSERT_EQ(sink.problems.size(), 2u);
  std::sort(sink.problems.begin(), sink.problems.end());
  EXPECT_THAT(sink.problems[0].first, testing::EndsWith("broken.xls"));
  EXPECT_EQ(sink.problems[0].second, "not a readable Office 97-2003 compound file: it is cut short or broken");
  EXPECT_THAT(sink.problems[1].first, testing::EndsWith("crash.xls"));
  // FreeXL reads through a wild pointer: in a fresh reader that is a crash (SIGSEGV; under ASan,
  // its handler aborts or exits instead), in one that served other files the read may land in
  // its heap and FreeXL gives up. Either way the workbook is reported and the scan goes on.
  EXPECT_THAT(sink.problems[1].second, testing::AnyOf("not a readable Excel 97-2003 workbook: its reader crashed (Segmentation fault)",
                                                      "not a readable Excel 97-2003 workbook: its reader crashed (Aborted)",
                                                      "not a readable Excel 97-2003 workbook: its reader stopped early (exit status 1)",
                                                      "not a readable Excel 97-2003 workbook: it is corrupted"));
  EXPECT_EQ(stats->skipped_binary, 1u);  // memo.doc

  // Reports name the cell: "people.xls!Payroll!B2 (SSN)".
  std::ostringstream table, err;
  ReportWriter writer(TheEngine(), {.format = Format::kTable}, table, err);
  ASSERT_TRUE(ScanPaths(TheEngine(), {(dir_ / "people.xls").string()}, {}, writer));
  writer.Finish();
  EXPECT_THAT(table.str(), testing::HasSubstr("people.xls!Payroll!B2 (SSN) "));

  // A workbook is counted before FreeXL reads its cells into memory: past the limit, refused.
  auto small = internal::XlsFile::Open((dir_ / "people.xls").string(), {.max_cells = 1000});
  ASSERT_FALSE(small);
  EXPECT_EQ(small.error().message, "the workbook's sheets declare 1256 cells, more than the 1000 read at most");
}

// A workbook's parts as other writers leave them: rows and cells the sheet leaves out (line k is
// still row k, cell C still column 3), inline strings, cells with tabs, line breaks and quotes,
// a title row above the header (no header: columns named by their letters), the 1904 date
// system, prefixed element names. A sheet whose XML is broken is reported and the workbook's
// other sheets are read; an archive that is no workbook is read member by member as before.
TEST_F(SourcesTest, WorkbookPartsAsWritersLeaveThem) {
  const std::string ns = R"(xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships")";
  Write("book.xlsm", Zip({
      {"xl/workbook.xml", "<x:workbook " + ns + R"(><x:workbookPr date1904="1"/><x:sheets>)"
                          R"(<x:sheet name="Sign-ups" sheetId="1" r:id="rId1"/><x:sheet name="Broken" sheetId="2" r:id="rId2"/>)"
                          R"(<x:sheet name="Report" sheetId="3" r:id="rId3"/></x:sheets></x:workbook>)"},
      {"xl/_rels/workbook.xml.rels", R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
                                     R"(<Relationship Id="rId1" Type="http://x/worksheet" Target="sheets/a.xml"/>)"
                                     R"(<Relationship Id="rId2" Type="http://x/worksheet" Target="/xl/sheets/b.xml"/>)"
                                     R"(<Relationship Id="rId3" Type="http://x/worksheet" Target="./sheets/../sheets/c.xml"/>)"
                                     R"(<Relationship Id="rId9" Type="http://x/styles" Target="styles.xml"/></Relationships>)"},
      {"xl/styles.xml", R"(<styleSheet><numFmts><numFmt numFmtId="170" formatCode="d/m/yyyy"/></numFmts>)"
                        R"(<cellStyleXfs><xf numFmtId="14"/></cellStyleXfs><cellXfs><xf numFmtId="0"/><xf numFmtId="170"/></cellXfs></styleSheet>)"},
      {"xl/sheets/a.xml", "<x:worksheet " + ns + R"(><x:sheetData>)"
                          R"(<x:row r="3"><x:c r="B3" t="inlineStr"><x:is><x:t>first_name</x:t></x:is></x:c>)"
                          R"(<x:c r="D3" t="inlineStr"><x:is><x:r><x:t>S</x:t></x:r><x:r><x:t>SN</x:t></x:r></x:is></x:c>)"
                          R"(<x:c r="E3" t="inlineStr"><x:is><x:t>dob</x:t></x:is></x:c><x:c r="F3" t="inlineStr"><x:is><x:t>notes</x:t></x:is></x:c></x:row>)"
                          R"(<x:row r="9"><x:c r="B9" t="inlineStr"><x:is><x:t>Quionia</x:t></x:is></x:c><x:c r="D9"><x:v>460899847</x:v></x:c>)"
                          R"(<x:c r="E9" s="1"><x:v>29325</x:v></x:c>)"
                          R"(<x:c r="F9" t="inlineStr"><x:is><x:t>said "hi"	mail)" "\n" R"(q.v@mailbox-acme.net</x:t></x:is></x:c></x:row>)"
                          R"(</x:sheetData></x:worksheet>)"},
      {"xl/sheets/b.xml", "<x:worksheet " + ns + R"(><x:sheetData><x:row r="1"><x:c t="inlineStr"><x:is><x:t>ssn 460-89-9847</x:t></x:is></x:c></x:row><x:row)"},
      {"xl/sheets/c.xml", "<x:worksheet " + ns + R"(><x:dimension ref="A1:C5"/><x:sheetData>)"
                          R"(<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>Quarterly report</x:t></x:is></x:c></x:row>)"
                          R"(<x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:t>name</x:t></x:is></x:c><x:c r="C2" t="inlineStr"><x:is><x:t>ssn</x:t></x:is></x:c></x:row>)"
                          R"(<x:row r="3"><x:c r="A3" t="inlineStr"><x:is><x:t>Akifumi Tanaka</x:t></x:is></x:c><x:c r="C3" t="inlineStr"><x:is><x:t>ssn 536-22-7000</x:t></x:is></x:c></x:row>)"
                          R"(</x:sheetData></x:worksheet>)"},
  }));
  Write("plain.zip", Zip({{"xl/readme.txt", "contact a.person@mailbox-acme.net\n"}}));
  Collect sink(TheEngine());
  ASSERT_TRUE(ScanPaths(TheEngine(), {dir_.string()}, {.threads = 1}, sink));
  EXPECT_THAT(sink.Places(dir_), testing::UnorderedElementsAreArray(std::vector<Collect::Place>{
                         {"book.xlsm!Sign-ups", 9, 2, "first_name", "person_name", "Quionia"},
                         {"book.xlsm!Sign-ups", 9, 4, "SSN", "us_ssn", "460899847"},
                         {"book.xlsm!Sign-ups", 9, 5, "dob", "date_of_birth", "1984-04-15"},  // day 29325 after 1904-01-01
                         {"book.xlsm!Sign-ups", 9, 6, "notes", "email", "q.v@mailbox-acme.net"},
                         {"book.xlsm!Report", 3, 1, "name", "person_name", "Akifumi Tanaka"},
                         {"book.xlsm!Report", 3, 3, "ssn", "us_ssn", "536-22-7000"},
                         {"plain.zip!xl/readme.txt", 1, 9, "", "email", "a.person@mailbox-acme.net"}}));
  ASSERT_EQ(sink.problems.size(), 1u);
  EXPECT_EQ(fs::relative(sink.problems[0].first, dir_).string(), "book.xlsm!Broken");
  EXPECT_THAT(sink.problems[0].second, testing::MatchesRegex("not well-formed XML at line 1: .* \\(xl/sheets/b.xml\\)"));
}

// Word documents and presentations as libraries write them (tests/fixtures/office, by the npm
// packages docx and PptxGenJS) are read as their text, a paragraph a line and a table's row a
// line: a name and an email split over runs are found whole, an SSN and a bank account beside
// their labels in a table's cells, the card number in deleted text tracked changes keep, the
// header's and the footnote's; the author in the properties; nothing from the themes and font
// tables (fonts named "Tai Lue" and "Times New Roman").
TEST_F(SourcesTest, WordDocumentsAndPresentationsAreReadAsTheirText) {
  for (const char* name : {"letter.docx", "deck.pptx"})
    fs::copy_file(fs::path(STEWARD_SOURCE_DIR) / "tests/fixtures/office" / name, dir_ / name);
  Collect sink(TheEngine());
  ASSERT_TRUE(ScanPaths(TheEngine(), {dir_.string()}, {.threads = 1}, sink));
  EXPECT_THAT(sink.problems, testing::IsEmpty());
  EXPECT_THAT(sink.Places(dir_), testing::UnorderedElementsAreArray(std::vector<Collect::Place>{
                         {"letter.docx!word/document.xml", 1, 6, "", "person_name", "Quionia Vasquez"},
                         {"letter.docx!word/document.xml", 2, 24, "", "email", "q.vasquez@mailbox-acme.net"},
                         {"letter.docx!word/document.xml", 3, 34, "", "date_of_birth", "1987-03-12"},  // "is on file as"
                         {"letter.docx!word/document.xml", 4, 6, "", "us_ssn", "536-22-7000"},
                         {"letter.docx!word/document.xml", 5, 15, "", "us_bank_account", "000123456789"},
                         {"letter.docx!word/document.xml", 6, 47, "", "credit_card", "4111 1111 1111 1111"},
                         {"letter.docx!word/footnotes.xml", 3, 23, "", "phone", "(415) 555-0132"},
                         {"letter.docx!word/header1.xml", 1, 19, "", "person_name", "Enrico Bianchi"},
                         {"letter.docx!docProps/core.xml", 1, 356, "", "person_name", "Maria Gonzalez"},
                         {"deck.pptx!ppt/slides/slide1.xml", 1, 29, "", "email", "akifumi@mailbox-acme.net"},
                         {"deck.pptx!ppt/notesSlides/notesSlide1.xml", 1, 18, "", "phone", "312-555-0199"},
                         {"deck.pptx!docProps/core.xml", 5, 15, "", "person_name", "Maria Gonzalez"},
                         {"deck.pptx!docProps/core.xml", 6, 22, "", "person_name", "Maria Gonzalez"}}));
}

// OpenDocument text documents (LibreOffice's .odt) are read as their content's text: spans joined
// ("Quionia" and " Vasquez" in two), <text:s c="3"/> as three blanks, a table's row as one line
// of cells apart by tabs; the author in meta.xml; not the styles' font names.
TEST_F(SourcesTest, OpenDocumentTextsAreReadAsTheirText) {
  const std::string ns = R"(xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" )"
                         R"(xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0")";
  const std::string manifest = R"(<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>)";
  Write("letter.odt",
        Zip({{"mimetype", "application/vnd.oasis.opendocument.text"},
           {"META-INF/manifest.xml", manifest},
           {"meta.xml", "<office:document-meta><office:meta><meta:initial-creator>Maria Gonzalez</meta:initial-creator></office:meta></office:document-meta>"},
           {"styles.xml", R"(<office:document-styles><office:font-face-decls><style:font-face style:name="Tai Lue"/></office:font-face-decls></office:document-styles>)"},
           {"content.xml", "<office:document-content " + ns + "><office:body><office:text>"
                           R"(<text:h>Dear <text:span>Quionia</text:span> Vasquez,</text:h>)"
                           R"(<text:p>write to<text:s c="3"/>q.vasquez@<text:span>mailbox-acme.net</text:span></text:p>)"
                           R"(<table:table><table:table-row><table:table-cell><text:p>SSN</text:p></table:table-cell>)"
                           R"(<table:table-cell><text:p>536-22-7000</text:p></table:table-cell></table:table-row></table:table>)"
                           "</office:text></office:body></office:document-content>"}}));
  Collect sink(TheEngine());
  ASSERT_TRUE(ScanPaths(TheEngine(), {dir_.string()}, {.threads = 1}, sink));
  EXPECT_THAT(sink.problems, testing::IsEmpty());
  EXPECT_THAT(sink.Places(dir_), testing::UnorderedElementsAreArray(std::vector<Collect::Place>{
                                     {"letter.odt!content.xml", 1, 6, "", "person_name", "Quionia Vasquez"},
                                     {"letter.odt!content.xml", 2, 12, "", "email", "q.vasquez@mailbox-acme.net"},
                                     {"letter.odt!content.xml", 3, 6, "", "us_ssn", "536-22-7000"},
                                     {"letter.odt!meta.xml", 1, 58, "", "person_name", "Maria Gonzalez"}}));
}

// OpenDocument spreadsheets are read sheet by sheet as tables, as workbooks are: the fixture
// SheetJS writes (tests/fixtures/ods/people.ods, the same sheets as people.xls) gives the same
// findings at the same cells. LibreOffice's markup: a title row above the header, cells and rows
// repeated (a valued cell three times, the empty rest of a sheet a million rows), a number as
// shown ("000123456789", its value 123456789), a date by its value however shown, a cell of two
// paragraphs, spaces as <text:s>. A sheet whose XML breaks is reported, what was found before it
// kept; the styles (font names) are not read.
TEST_F(SourcesTest, OpenDocumentSpreadsheetsAreReadAsTables) {
  Write("people.ods", Fixture("ods/people.ods"));
  const std::string ns = R"(xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" )"
                         R"(xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0")";
  const std::string manifest = R"(<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>)";
  auto cell = [](std::string_view text, std::string_view attributes = "") {
    return fmt::format("<table:table-cell{}><text:p>{}</text:p></table:table-cell>", attributes.empty() ? "" : " " + std::string(attributes), text);
  };
  const std::string staff =
      R"(<table:table table:name="Staff"><table:table-column table:number-columns-repeated="4"/>)"
      "<table:table-row>" + cell("Payroll, Q3") + "</table:table-row>"
      "<table:table-row>" + cell("Employee") + cell("Bank account") + cell("Date of birth") + cell("Notes") + "</table:table-row>"
      "<table:table-row>" + cell("Quionia Vasquez") + cell("000123456789", R"(office:value-type="float" office:value="123456789")") +
      cell("03/12/87", R"(office:value-type="date" office:date-value="1987-03-12")") +
      "<table:table-cell><text:p>moved from</text:p><text:p>742<text:s/>Evergreen Terrace</text:p></table:table-cell></table:table-row>"
      R"(<table:table-row table:number-rows-repeated="2">)" + cell("Per Cederqvist") + "<table:table-cell/>" +
      cell("1990-11-03 10:30", R"(office:value-type="date" office:date-value="1990-11-03T10:30:00")") + "</table:table-row>"
      R"(<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>)"
      "</table:table>";
  const std::string codes = R"(<table:table table:name="Codes"><table:table-row>)" + cell("Contact", R"(table:number-columns-repeated="3")") +
                            "</table:table-row><table:table-row>" +
                            cell("call<text:s c=\"3\"/>415-555-0178", R"(table:number-columns-repeated="3")") + "</table:table-row></table:table>";
  Write("staff.ods", Zip({{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"},
                          {"META-INF/manifest.xml", manifest},
                          {"styles.xml", R"(<office:document-styles><style:font-face style:name="Tai Lue"/></office:document-styles>)"},
                          {"content.xml", "<office:document-content " + ns + "><office:body><office:spreadsheet>" + staff + codes +
                                              "</office:spreadsheet></office:body></office:document-content>"}}));
  Write("broken.ods", Zip({{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"},
                           {"META-INF/manifest.xml", manifest},
                           {"content.xml", "<office:document-content " + ns + "><office:body><office:spreadsheet>" + codes +
                                               R"(<table:table table:name="Cut"><table:table-row><table:table-cell>)"}}));
  Collect sink(TheEngine());
  ASSERT_TRUE(ScanPaths(TheEngine(), {dir_.string()}, {.threads = 1}, sink));
  std::vector<Collect::Place> expected = PeopleSheets("people.ods");
  const std::vector<Collect::Place> more = {
      {"staff.ods!Staff", 3, 1, "Employee", "person_name", "Quionia Vasquez"},
      {"staff.ods!Staff", 3, 2, "Bank account", "us_bank_account", "000123456789"},
      {"staff.ods!Staff", 3, 3, "Date of birth", "date_of_birth", "1987-03-12"},
      {"staff.ods!Staff", 3, 4, "Notes", "us_street_address", "742 Evergreen Terrace"},
      {"staff.ods!Staff", 4, 1, "Employee", "person_name", "Per Cederqvist"},
      {"staff.ods!Staff", 4, 3, "Date of birth", "date_of_birth", "1990-11-03"},
      {"staff.ods!Staff", 5, 1, "Employee", "person_name", "Per Cederqvist"},  // the row repeated
      {"staff.ods!Staff", 5, 3, "Date of birth", "date_of_birth", "1990-11-03"},
      {"staff.ods!Codes", 2, 1, "Contact", "phone", "415-555-0178"},
      {"staff.ods!Codes", 2, 2, "Contact", "phone", "415-555-0178"},
      {"staff.ods!Codes", 2, 3, "Contact", "phone", "415-555-0178"},
      {"broken.ods!Codes", 2, 1, "Contact", "phone", "415-555-0178"},
      {"broken.ods!Codes", 2, 2, "Contact", "phone", "415-555-0178"},
      {"broken.ods!Codes", 2, 3, "Contact", "phone", "415-555-0178"}};
  expected.insert(expected.end(), more.begin(), more.end());
  EXPECT_THAT(sink.Places(dir_), testing::UnorderedElementsAreArray(expected));
  ASSERT_EQ(sink.problems.size(), 1u);
  EXPECT_THAT(sink.problems[0].first, testing::EndsWith("broken.ods!content.xml"));
  EXPECT_THAT(sink.problems[0].second, testing::StartsWith("not well-formed XML at line 1: "));
  EXPECT_THAT(sink.problems[0].second, testing::EndsWith(" (content.xml); skipped the rest of the spreadsheet"));
}

// A PDF as a library writes one (tests/fixtures/pdf/letter.pdf, by PDFKit) is read as its pages'
// text, laid out as printed: each page is a source of its own, and a form's labels and values
// stay on their lines however far apart ("Bank account      000123456789"). A file that only
// starts like a PDF is reported and the scan goes on. The letter's phone number wraps onto the
// next line, "(415)" and "555-0132": it is found at the '('.
TEST_F(SourcesTest, PdfsAreReadPageByPageAsLaidOut) {
  fs::copy_file(fs::path(STEWARD_SOURCE_DIR) / "tests/fixtures/pdf/letter.pdf", dir_ / "letter.pdf");
  Write("broken.pdf", "%PDF-1.4\nnot really a PDF, 460-89-9847\n");
  for (int threads : {1, 2}) {
    Collect sink(TheEngine());
    auto stats = ScanPaths(TheEngine(), {dir_.string()}, {.threads = threads, .split_bytes = 64}, sink);
    ASSERT_TRUE(stats);
    EXPECT_EQ(stats->files, 1u);
    EXPECT_EQ(stats->skipped_binary, 0u);
    using Row = Collect::Place;
    EXPECT_THAT(sink.Places(dir_), testing::ElementsAre(Row{"letter.pdf!page1", 3, 6, "", "person_name", "Quionia Vasquez"},
                                                        Row{"letter.pdf!page1", 5, 31, "", "email", "q.vasquez@mailbox-acme.net"},
                                                        Row{"letter.pdf!page1", 5, 79, "", "phone", "(415)\n555-0132"},
                                                        Row{"letter.pdf!page2", 4, 19, "", "person_name", "Enrico Bianchi"},
                                                        Row{"letter.pdf!page2", 5, 19, "", "us_ssn", "536-22-7000"},
                                                        Row{"letter.pdf!page2", 6, 19, "", "us_bank_account", "000123456789"},
                                                        Row{"letter.pdf!page2", 7, 19, "", "date_of_birth", "1990-11-03"}))
        << "threads " << threads;
    ASSERT_EQ(sink.problems.size(), 1u);
    EXPECT_THAT(sink.problems[0].first, testing::EndsWith("broken.pdf"));
    EXPECT_EQ(sink.problems[0].second, "not a readable PDF");
  }
}

// An export zipped: a workbook, a Word document and a PDF inside a zip are read as they are on
// their own, at "export.zip!people.xlsx!Customers!B2"; archives are opened two levels down
// (export.zip!a.zip!b.zip), not three; a member that only starts like a zip is reported and the
// rest is read. A workbook embedded in a Word document is opened the same way.
TEST_F(SourcesTest, DocumentsInsideArchivesAreReadAsOnTheirOwn) {
  const std::string deepest = Zip({{"notes.txt", "ssn 460-89-9847\n"}});
  Write("export.zip", Zip({{"people.xlsx", Fixture("xlsx/people.xlsx")},
                           {"letter.docx", Fixture("office/letter.docx")},
                           {"letter.pdf", Fixture("pdf/letter.pdf")},
                           {"broken.zip", "PK\x03\x04 not really"},
                           {"a.zip", Zip({{"b.zip", Zip({{"c.zip", deepest}})}})},
                           {"one.zip", Zip({{"notes.txt", "ssn 460-89-9847\n"}})}}));
  // A document with a workbook embedded (a chart's data): the workbook is opened as one.
  Write("report.docx", Zip({{"word/document.xml", "<w:document><w:body><w:p><w:r><w:t>Q3 report</w:t></w:r></w:p></w:body></w:document>"},
                            {"word/embeddings/Microsoft_Excel_Worksheet.xlsx", Fixture("xlsx/people.xlsx")}}));
  Collect sink(TheEngine());
  ASSERT_TRUE(ScanPaths(TheEngine(), {dir_.string()}, {.threads = 1}, sink));
  std::map<std::string, int> by_source;
  for (const auto& [source, line, column, field, detector, value] : sink.Places(dir_)) ++by_source[source + " " + detector];
  EXPECT_EQ(by_source["export.zip!people.xlsx!Payroll us_ssn"], 2);
  EXPECT_EQ(by_source["export.zip!people.xlsx!Customers date_of_birth"], 3);
  EXPECT_EQ(by_source["export.zip!letter.docx!word/document.xml person_name"], 1);
  EXPECT_EQ(by_source["export.zip!letter.pdf!page2 us_bank_account"], 1);
  EXPECT_EQ(by_source["export.zip!one.zip!notes.txt us_ssn"], 1);
  EXPECT_EQ(by_source["report.docx!word/embeddings/Microsoft_Excel_Worksheet.xlsx!Payroll us_ssn"], 2);
  EXPECT_FALSE(by_source.contains("export.zip!a.zip!b.zip!c.zip!notes.txt us_ssn"));  // three levels down: not opened
  for (const auto& [key, n] : by_source) EXPECT_THAT(key, testing::Not(testing::HasSubstr("theme"))) << n;
  ASSERT_EQ(sink.problems.size(), 1u);
  EXPECT_THAT(sink.problems[0].first, testing::EndsWith("export.zip!broken.zip"));
  EXPECT_EQ(sink.problems[0].second, "not a readable zip archive");
}

TEST_F(SourcesTest, LongLinesAndNulBytesNeverCrash) {
  std::string huge(3 << 20, 'a');  // 3 MiB without a newline, cut at the buffer size
  huge += " 460-89-9847";
  Write("long.txt", huge);
  static const char kNul[] = "ok\n\xff\xfe bad utf8 \x00 then ssn 460-89-9847\n";
  Write("nul.txt", std::string(kNul, sizeof kNul - 1));
  Collect sink(TheEngine());
  auto stats = ScanPaths(TheEngine(), {dir_.string()}, {.threads = 1}, sink);
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->files, 2u);
  EXPECT_TRUE(sink.problems.empty());
}

TEST_F(SourcesTest, MissingPathIsAnErrorNamingIt) {
  Collect sink(TheEngine());
  auto stats = ScanPaths(TheEngine(), {(dir_ / "nope").string()}, {}, sink);
  ASSERT_FALSE(stats);
  EXPECT_EQ(stats.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(stats.error().field, testing::EndsWith("nope"));
}

TEST_F(SourcesTest, TablesAreClassifiedByColumnAndDriftFlagsTheUndeclaredOne) {
  std::string db_path = (dir_ / "shop.db").string();
  auto db = connect::Open({.engine = "sqlite", .dsn = db_path});
  ASSERT_TRUE(db);
  ASSERT_TRUE(fulfil::GenerateExample(**db, {.customers = 200}));
  // The day a column of social security numbers appears, next to a decoy of order numbers.
  ASSERT_TRUE((*db)->ExecScript(
      "CREATE TABLE kyc (id INTEGER PRIMARY KEY, customer_id INTEGER, tax_id TEXT, order_ref TEXT, lat REAL, lng REAL, blob_col BLOB);"
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) "
      "INSERT INTO kyc SELECT i, i, printf('%03d-%02d-%04d', 100 + i, 10 + i % 80, 1000 + i), "
      "printf('99%014d', i * 7919), 37.0 + i / 1000.0 + 0.000123, -122.0 - i / 1000.0 - 0.000456, x'00ff10' FROM n;"));
  Collect sink(TheEngine());
  auto stats = ScanTables(TheEngine(), **db, {.sample_rows = 1000}, sink);
  ASSERT_TRUE(stats);
  std::set<std::tuple<std::string, std::string, std::string>> columns;
  for (const Finding& f : sink.findings) {
    columns.emplace(f.source, f.field, TheEngine().detectors()[f.detector].id);
    // An example each, also where only the whole-value checks spoke (bare surnames, a latitude).
    EXPECT_FALSE(f.value.empty()) << f.source << "." << f.field << " " << TheEngine().detectors()[f.detector].id;
  }
  EXPECT_THAT(columns, testing::IsSupersetOf({std::make_tuple("customers", "email", "email"),
                                              std::make_tuple("customers", "phone", "phone"),
                                              std::make_tuple("customers", "birth_date", "date_of_birth"),
                                              std::make_tuple("customers", "last_name", "person_name"),
                                              std::make_tuple("accounts", "last_ip", "ipv4"),
                                              std::make_tuple("kyc", "tax_id", "us_ssn"),
                                              std::make_tuple("kyc", "lat", "geolocation"),
                                              std::make_tuple("kyc", "lng", "geolocation")}));
  for (const auto& [table, column, detector] : columns) {
    EXPECT_NE(column, "order_ref") << detector;  // decoy
    EXPECT_NE(column, "customer_id") << detector;
  }

  Declared declared;
  declared.name = "shop.yaml";
  declared.per_field = true;
  declared.fields[{"customers", "email"}] = {"user.contact.email"};
  declared.fields[{"kyc", "lat"}] = {"user.location.precise"};
  declared.fields[{"kyc", "lng"}] = {"user.location.precise"};
  declared.fields[{"customers", "phone"}] = {"user.contact.phone_number"};
  declared.fields[{"accounts", "username"}] = {"user.contact.email"};  // declared, nothing found
  auto drift = CompareWithDeclared(TheEngine(), sink.findings, declared);
  auto has = [&](DriftItem::Kind kind, const std::string& where) {
    return std::any_of(drift.begin(), drift.end(), [&](const DriftItem& i) { return i.kind == kind && i.where == where; });
  };
  EXPECT_TRUE(has(DriftItem::Kind::kUndeclared, "kyc.tax_id"));
  EXPECT_FALSE(has(DriftItem::Kind::kUndeclared, "customers.email"));
  EXPECT_FALSE(has(DriftItem::Kind::kUndeclared, "kyc.lat"));
  EXPECT_TRUE(has(DriftItem::Kind::kNotFound, "accounts.username"));
  for (const DriftItem& i : drift) {
    if (i.where == "kyc.tax_id") {
      EXPECT_TRUE(i.sensitive);
    }
  }
}

// Column batches are scanned on several threads; what a column shows (its counts, confidence and
// the example, taken from the earliest rows) does not depend on how many.
TEST_F(SourcesTest, TableFindingsAreTheSameWithAnyNumberOfThreads) {
  auto db = connect::Open({.engine = "sqlite", .dsn = (dir_ / "many.db").string()});
  ASSERT_TRUE(db);
  // 6,000 rows: a dozen batches per column. The first email and the first SSN come late, so an
  // example from whichever batch finished first would differ. The bodies (2.4 KB each) fill a
  // batch's bytes long before its rows.
  ASSERT_TRUE((*db)->ExecScript(
      "CREATE TABLE people (id INTEGER PRIMARY KEY, contact TEXT, note TEXT, who TEXT, body TEXT);"
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000) "
      "INSERT INTO people SELECT i,"
      " CASE WHEN i > 1700 AND i % 3 = 0 THEN printf('person%d@mail-acme.net', i) ELSE printf('ticket %d', i) END,"
      " CASE WHEN i > 2900 AND i % 50 = 0 THEN printf('verified ssn %03d-%02d-%04d', 100 + i % 500, 10 + i % 80, 1000 + i)"
      "      ELSE 'nothing to see' END,"
      " CASE i % 4 WHEN 0 THEN 'Maria Garcia' WHEN 1 THEN 'James Smith' WHEN 2 THEN NULL ELSE printf('room %d', i) END,"
      " replace(hex(zeroblob(600)), '0', 'a ') || CASE WHEN i % 97 = 0 THEN printf(' write to writer%d@mail-acme.net', i) ELSE '' END"
      " FROM n;"));
  auto shown = [&](int threads) {
    Collect sink(TheEngine());
    auto stats = ScanTables(TheEngine(), **db, {.full = true, .threads = threads}, sink);
    EXPECT_TRUE(stats);
    if (stats) {
      EXPECT_EQ(stats->rows, 6000u);
    }
    std::vector<std::string> lines;
    for (const Finding& f : sink.findings)
      lines.push_back(fmt::format("{}.{} {} {:.3f} {} {}/{}", f.source, f.field, TheEngine().detectors()[f.detector].id,
                                  f.confidence, f.value, f.matched, f.sampled));
    return lines;
  };
  const std::vector<std::string> one = shown(1);
  EXPECT_THAT(one, testing::IsSupersetOf({testing::StartsWith("people.contact email"),
                                          testing::StartsWith("people.note us_ssn"),
                                          testing::StartsWith("people.who person_name")}));
  for (const std::string& line : one) {
    if (line.starts_with("people.contact email")) {
      EXPECT_THAT(line, testing::HasSubstr("person1701@mail-acme.net 1434/6000"));
    }
  }
  // Repeated values ("Maria Garcia", "nothing to see") are scanned once a batch and counted
  // once a row: 3,000 names among 4,500 values (NULLs are no values), 62 SSNs among 6,000 notes.
  EXPECT_THAT(one, testing::Contains("people.who person_name 0.900 James Smith 3000/4500"));
  EXPECT_THAT(one, testing::Contains("people.note us_ssn 0.712 550-80-3950 62/6000"));
  EXPECT_THAT(one, testing::Contains(testing::HasSubstr("people.body email 0.712 writer97@mail-acme.net 61/6000")));
  EXPECT_EQ(shown(2), one);
  EXPECT_EQ(shown(4), one);
}

// The default scan of a large SQLite table looks up rowids drawn at random instead of reading
// every row; small tables, tables without rowids and tables whose rowids are too sparse are read
// whole, and every table still gives the rows asked for.
TEST_F(SourcesTest, SqliteSamplesLargeTablesByRowid) {
  auto opened = connect::Open({.engine = "sqlite", .dsn = (dir_ / "sampled.db").string()});
  ASSERT_TRUE(opened);
  connect::Connector& db = **opened;
  const std::string n30k = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000) ";
  ASSERT_TRUE(db.ExecScript(
      "CREATE TABLE big (id INTEGER PRIMARY KEY, email TEXT);" + n30k +
      "INSERT INTO big SELECT i, printf('member%d@mail-acme.net', i) FROM n;"
      "CREATE TABLE every_other (id INTEGER PRIMARY KEY, email TEXT);" + n30k +
      "INSERT INTO every_other SELECT 2 * i, printf('other%d@mail-acme.net', i) FROM n;"
      "CREATE TABLE sparse (id INTEGER PRIMARY KEY, email TEXT);" + n30k +
      "INSERT INTO sparse SELECT 1000 * i, printf('far%d@mail-acme.net', i) FROM n;"
      "CREATE TABLE keyed (email TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID;" + n30k +
      "INSERT INTO keyed SELECT printf('keyed%d@mail-acme.net', i), i FROM n;"
      "CREATE TABLE shadowed (rowid TEXT, email TEXT);" + n30k +
      "INSERT INTO shadowed SELECT printf('r%d', i), printf('shadow%d@mail-acme.net', i) FROM n;"
      "CREATE TABLE small (id INTEGER PRIMARY KEY, email TEXT);"
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) "
      "INSERT INTO small SELECT i, printf('guest%d@mail-acme.net', i) FROM n;"));
  for (const char* table : {"big", "every_other"}) {
    auto sql = db.SampleFrom(table, 1000);
    ASSERT_TRUE(sql);
    EXPECT_THAT(*sql, testing::HasSubstr("WHERE rowid IN")) << table;
    EXPECT_THAT(*sql, testing::EndsWith("ORDER BY random() LIMIT 1000")) << table;
  }
  for (const char* table : {"sparse", "keyed", "shadowed", "small"}) {
    auto sql = db.SampleFrom(table, 1000);
    ASSERT_TRUE(sql);
    EXPECT_THAT(*sql, testing::Not(testing::HasSubstr("rowid"))) << table;
  }

  // A sample is 1,000 distinct rows from all over the table: each tenth of it holds some.
  auto big = db.SampleFrom("big", 1000);
  ASSERT_TRUE(big);
  std::set<int64_t> ids;
  std::vector<int> tenths(10);
  ASSERT_TRUE(db.RunSelect("SELECT id FROM " + *big, {}, 1, [&](const connect::Row& row) -> Status {
    const int64_t id = std::stoll(row[0].text);
    ids.insert(id);
    ++tenths[static_cast<size_t>((id - 1) / 3000)];
    return {};
  }));
  EXPECT_EQ(ids.size(), 1000u);
  for (size_t t = 0; t < tenths.size(); ++t) EXPECT_GT(tenths[t], 0) << "tenth " << t;

  Collect sink(TheEngine());
  auto stats = ScanTables(TheEngine(), db, {.sample_rows = 1000}, sink);
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_TRUE(sink.problems.empty());
  EXPECT_EQ(stats->rows, 5500u);  // 1000 from each large table, all 500 of the small one
  std::set<std::string> emails;
  for (const Finding& f : sink.findings) {
    if (TheEngine().detectors()[f.detector].id != "email") continue;
    emails.insert(f.source + "." + f.field);
    EXPECT_EQ(f.matched, f.sampled) << f.source;
  }
  EXPECT_EQ(emails, (std::set<std::string>{"big.email", "every_other.email", "sparse.email", "keyed.email",
                                           "shadowed.email", "small.email"}));
}

// Most of the world's streets carry no street word ("Männi 12"): in a column named for
// addresses they are found by the column's name; the same values in a column named otherwise,
// and ordinary words with numbers in an address column, are not.
TEST_F(SourcesTest, StreetsWithoutAStreetWordAreFoundInAddressColumns) {
  auto opened = connect::Open({.engine = "sqlite", .dsn = (dir_ / "homes.db").string()});
  ASSERT_TRUE(opened);
  ASSERT_TRUE((*opened)->ExecScript(
      "CREATE TABLE homes (id INTEGER PRIMARY KEY, street_address TEXT, label TEXT, address_note TEXT);"
      "INSERT INTO homes (street_address, label, address_note) VALUES"
      " ('M\xc3\xa4nni 12', 'M\xc3\xa4nni 12', 'Gate 4'), ('Kalda 70', 'Kalda 70', 'Door 2'),"
      " ('Tala 7342', 'Tala 7342', 'Gate 9'), ('Nedre Tverrstredet 238', 'Nedre Tverrstredet 238', 'Door 5'),"
      " ('Bavorovsk\xc3\xa1 788', 'Bavorovsk\xc3\xa1 788', 'Room 3');"));
  Collect sink(TheEngine());
  ASSERT_TRUE(ScanTables(TheEngine(), **opened, {.full = true}, sink));
  std::map<std::string, std::string> kinds;
  for (const Finding& f : sink.findings) kinds[f.field] += TheEngine().detectors()[f.detector].id + fmt::format(" {}/{} ", f.matched, f.sampled);
  EXPECT_EQ(kinds["street_address"], "intl_street_address 5/5 ");
  EXPECT_EQ(kinds.count("label"), 0u) << kinds["label"];
  EXPECT_EQ(kinds.count("address_note"), 0u) << kinds["address_note"];
}

// A few name-like values in a column of short values (a city called Jackson, a firm called
// Edwards) do not make it a column of names; the same names inside free text are people.
TEST_F(SourcesTest, NamesAmongShortValuesAreThatColumnsKindNotPeople) {
  auto db = connect::Open({.engine = "sqlite", .dsn = (dir_ / "places.db").string()});
  ASSERT_TRUE(db);
  ASSERT_TRUE((*db)->ExecScript(
      "CREATE TABLE sites (id INTEGER PRIMARY KEY, city TEXT, company TEXT, note TEXT);"
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) "
      "INSERT INTO sites SELECT i,"
      " CASE WHEN i % 20 = 0 THEN 'Jackson Heights' ELSE printf('Riverside %d', i) END,"
      " CASE WHEN i % 8 = 0 THEN 'Martin Edwards' ELSE printf('Acme Widgets %d', i) END,"
      " CASE WHEN i % 10 = 0 THEN 'the courier left the parcel with Maria Garcia at the back door'"
      "      ELSE 'the courier left the parcel at the back door as agreed' END FROM n;"));
  Collect sink(TheEngine());
  ASSERT_TRUE(ScanTables(TheEngine(), **db, {.full = true}, sink));
  std::set<std::string> named;
  for (const Finding& f : sink.findings)
    if (TheEngine().detectors()[f.detector].id == "person_name") named.insert(f.field);
  EXPECT_EQ(named, std::set<std::string>{"note"});
}

// The same on a real PostgreSQL server: random sampling there, and column types SQLite does not
// have (jsonb with an email inside, inet, arrays, bytea, uuid, numeric, timestamptz, point).
TEST_F(SourcesTest, PostgresTablesWithExoticTypesAreClassified) {
  connect::testing::TempDatabase pg("postgres");
  STEWARD_REQUIRE_DB(pg);
  auto db = pg.Connect();
  ASSERT_TRUE(db);
  ASSERT_TRUE(fulfil::GenerateExample(*db, {.customers = 120}));
  ASSERT_TRUE(db->ExecScript(
      "CREATE TABLE kyc (id serial PRIMARY KEY, tax_id text, seen_from inet, tags text[], doc jsonb, raw bytea, ref uuid,"
      " amount numeric(12,2), at timestamptz, pos point, order_ref text);"
      "INSERT INTO kyc (tax_id, seen_from, tags, doc, raw, ref, amount, at, pos, order_ref)"
      " SELECT format('%s-%s-%s', 100 + i, 10 + i % 80, 1000 + i), ('10.20.' || (i % 250) || '.' || (1 + i % 200))::inet,"
      " ARRAY['vip', 'tier' || i], jsonb_build_object('contact', jsonb_build_object('email', 'kyc' || i || '@mail-acme.net')),"
      " '\\x00ff10'::bytea, md5(i::text)::uuid, i * 1.25, now(), point(i, i), '99' || lpad((i * 7919)::text, 14, '0')"
      " FROM generate_series(1, 250) AS i;"));
  Collect sink(TheEngine());
  auto stats = ScanTables(TheEngine(), *db, {.sample_rows = 100}, sink);
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_TRUE(sink.problems.empty());
  std::set<std::tuple<std::string, std::string, std::string>> columns;
  for (const Finding& f : sink.findings) {
    columns.emplace(f.source, f.field, TheEngine().detectors()[f.detector].id);
    if (f.source == "kyc") {
      EXPECT_LE(f.sampled, 100u) << f.field;  // a sample, not the table
    }
  }
  EXPECT_THAT(columns, testing::IsSupersetOf({std::make_tuple("customers", "email", "email"),
                                              std::make_tuple("customers", "phone", "phone"),
                                              std::make_tuple("kyc", "tax_id", "us_ssn"),
                                              std::make_tuple("kyc", "seen_from", "ipv4"),
                                              std::make_tuple("kyc", "doc", "email")}));
  for (const auto& [table, column, detector] : columns) {
    EXPECT_TRUE(column != "order_ref" && column != "ref" && column != "raw" && column != "amount" && column != "pos")
        << column << " " << detector;
  }
}

// A large PostgreSQL table is sampled by pages first (its statistics say how large), so a sample
// does not read the whole table; a small one, or one never analyzed, is read whole.
TEST_F(SourcesTest, PostgresSamplesLargeTablesByPages) {
  connect::testing::TempDatabase pg("postgres");
  STEWARD_REQUIRE_DB(pg);
  auto db = pg.Connect();
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->ExecScript(
      "CREATE TABLE big (id serial PRIMARY KEY, email text, note text);"
      "INSERT INTO big (email, note) SELECT 'member' || i || '@mail-acme.net', 'renewed plan ' || i"
      " FROM generate_series(1, 30000) AS i;"
      "CREATE TABLE small (id serial PRIMARY KEY, email text);"
      "INSERT INTO small (email) SELECT 'guest' || i || '@mail-acme.net' FROM generate_series(1, 500) AS i;"
      "CREATE TABLE unanalyzed (id serial PRIMARY KEY, email text) WITH (autovacuum_enabled = false);"
      "ANALYZE big; ANALYZE small;"
      "INSERT INTO unanalyzed (email) SELECT 'new' || i || '@mail-acme.net' FROM generate_series(1, 30000) AS i;"));
  auto big = db->SampleFrom("big", 1000);
  ASSERT_TRUE(big);
  EXPECT_THAT(*big, testing::HasSubstr("TABLESAMPLE SYSTEM"));
  EXPECT_THAT(*big, testing::EndsWith("ORDER BY random() LIMIT 1000"));
  for (const char* table : {"small", "unanalyzed"}) {
    auto sql = db->SampleFrom(table, 1000);
    ASSERT_TRUE(sql);
    EXPECT_THAT(*sql, testing::Not(testing::HasSubstr("TABLESAMPLE"))) << table;
  }
  Collect sink(TheEngine());
  auto stats = ScanTables(TheEngine(), *db, {.sample_rows = 1000}, sink);
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_TRUE(sink.problems.empty());
  EXPECT_EQ(stats->rows, 2500u);  // 1000 + all 500 + 1000
  std::set<std::string> emails;
  for (const Finding& f : sink.findings) {
    if (TheEngine().detectors()[f.detector].id != "email") continue;
    emails.insert(f.source + "." + f.field);
    EXPECT_EQ(f.matched, f.sampled) << f.source;
  }
  EXPECT_EQ(emails, (std::set<std::string>{"big.email", "small.email", "unanalyzed.email"}));
}

TEST_F(SourcesTest, SarifAndCsvReports) {
  Write("a.txt", "x\nssn 460-89-9847 =cmd\n");
  std::ostringstream out, err;
  ReportWriter sarif(TheEngine(), {.format = Format::kSarif}, out, err);
  ASSERT_TRUE(ScanPaths(TheEngine(), {dir_.string()}, {}, sarif));
  EXPECT_EQ(sarif.Finish(), 1u);
  auto doc = nlohmann::json::parse(out.str());
  EXPECT_EQ(doc["version"], "2.1.0");
  const auto& result = doc["runs"][0]["results"][0];
  EXPECT_EQ(result["ruleId"], "us_ssn");
  EXPECT_EQ(result["level"], "error");
  EXPECT_EQ(result["locations"][0]["physicalLocation"]["region"]["startLine"], 2);
  EXPECT_EQ(result["locations"][0]["physicalLocation"]["region"]["startColumn"], 5);
  EXPECT_EQ(out.str().find("460-89-9847"), std::string::npos);  // masked by default

  std::ostringstream csv;
  ReportWriter csv_writer(TheEngine(), {.format = Format::kCsv, .show_data = true}, csv, err);
  ASSERT_TRUE(ScanPaths(TheEngine(), {dir_.string()}, {}, csv_writer));
  csv_writer.Finish();
  EXPECT_THAT(csv.str(), testing::HasSubstr(",us_ssn,user.government_id.national_identification_number,L,government_id,"));
  EXPECT_THAT(csv.str(), testing::HasSubstr("460-89-9847"));
}

// A CSV file's finding is a place in the file for SARIF (code-scanning tools show it on the file)
// and for the table, with its column named.
TEST_F(SourcesTest, CsvFindingsAreFilePlacesWithTheirColumnInEveryFormat) {
  Write("users.csv", "id,ssn\n1,460899847\n");
  std::ostringstream out, err;
  ReportWriter sarif(TheEngine(), {.format = Format::kSarif}, out, err);
  ASSERT_TRUE(ScanPaths(TheEngine(), {dir_.string()}, {}, sarif));
  EXPECT_EQ(sarif.Finish(), 1u);
  const auto result = nlohmann::json::parse(out.str())["runs"][0]["results"][0];
  EXPECT_EQ(result["ruleId"], "us_ssn");
  EXPECT_EQ(result["locations"][0]["physicalLocation"]["region"]["startLine"], 2);
  EXPECT_EQ(result["locations"][0]["physicalLocation"]["region"]["startColumn"], 3);
  EXPECT_THAT(result["message"]["text"].get<std::string>(), testing::HasSubstr("in column ssn"));
  std::ostringstream table;
  ReportWriter table_writer(TheEngine(), {.format = Format::kTable}, table, err);
  ASSERT_TRUE(ScanPaths(TheEngine(), {dir_.string()}, {}, table_writer));
  table_writer.Finish();
  EXPECT_THAT(table.str(), testing::HasSubstr("users.csv:2:3 (ssn)"));
  EXPECT_THAT(table.str(), testing::Not(testing::HasSubstr("sampled values")));
}

// Each JSON Lines record is the object nlohmann would write (members sorted, its escaping and
// number formats): parsing and writing it again gives the same bytes. File and table findings,
// a sensitive and a non-sensitive kind, quotes, a backslash, a control byte and invalid UTF-8.
TEST(JsonLines, RecordsAreWhatTheJsonLibraryWrites) {
  std::ostringstream out, err;
  ReportWriter writer(TheEngine(), {.format = Format::kJsonl, .show_data = true}, out, err);
  const int ssn = TheEngine().FindDetector("us_ssn"), email = TheEngine().FindDetector("email");
  ASSERT_GE(ssn, 0);
  ASSERT_GE(email, 0);
  writer.OnFinding({.detector = ssn, .source = "dir/a \"quoted\".txt", .line = 12, .column = 7, .confidence = 0.95,
                    .value = "460-89-9847"});
  writer.OnFinding({.detector = email, .source = "logs\\x\x01\xff.log", .line = 1, .column = 1, .confidence = 1.0,
                    .value = "a\"b@c.io"});
  writer.OnFinding({.detector = email, .source = "customers", .field = "e\"mail", .confidence = 0.894, .value = "a@b.io",
                    .sampled = 10000, .matched = 9876});
  writer.OnFinding({.detector = email, .source = "b.txt", .line = 2, .column = 3, .confidence = 0.9, .value = "x\\y\tZako\xc4\x8d"});
  writer.OnFinding({.detector = ssn, .source = "users.csv", .field = "ssn", .line = 3, .column = 15, .confidence = 0.9, .value = "536227000"});
  writer.Finish();
  std::istringstream lines(out.str());
  std::vector<nlohmann::json> records;
  for (std::string line; std::getline(lines, line);) {
    auto record = nlohmann::json::parse(line);
    EXPECT_EQ(record.dump(), line);
    records.push_back(record);
  }
  ASSERT_EQ(records.size(), 5u);
  // A backslash, a tab (shown as \x09 by Printable) and UTF-8: escaped by nlohmann, not by the fast path.
  EXPECT_EQ(records[3]["value"], "x\\y\\x09Zako\xc4\x8d");
  EXPECT_EQ(records[0]["detector"], "us_ssn");
  EXPECT_EQ(records[0]["sensitive"], "government_id");
  EXPECT_EQ(records[0]["ccpa"], "L");
  EXPECT_EQ(records[0]["source"], "dir/a \"quoted\".txt");
  EXPECT_EQ(records[0]["line"], 12);
  EXPECT_EQ(records[0]["column"], 7);
  EXPECT_EQ(records[0]["confidence"], 0.95);
  EXPECT_TRUE(records[1]["sensitive"].is_null());
  EXPECT_EQ(records[1]["value"], "a\"b@c.io");
  EXPECT_EQ(records[2]["field"], "e\"mail");
  EXPECT_EQ(records[2]["sampled"], 10000);
  EXPECT_EQ(records[2]["matched"], 9876);
  EXPECT_EQ(records[2]["confidence"], 0.89);
  EXPECT_FALSE(records[2].contains("line"));
  // A CSV file's cell: its column, and its place in the file.
  EXPECT_EQ(records[4]["field"], "ssn");
  EXPECT_EQ(records[4]["line"], 3);
  EXPECT_EQ(records[4]["column"], 15);
  EXPECT_FALSE(records[4].contains("sampled"));
}

// A JSON Lines scan that needs no drift or record keeps no findings, whatever its size, and
// still counts them for the exit code.
TEST(JsonLines, WithoutKeepFindingsNothingIsHeld) {
  std::ostringstream out, err;
  ReportWriter writer(TheEngine(), {.format = Format::kJsonl, .keep_findings = false}, out, err);
  const int ssn = TheEngine().FindDetector("us_ssn");
  for (int i = 0; i < 100; ++i)
    writer.OnFinding({.detector = ssn, .source = "a.txt", .line = static_cast<uint64_t>(i + 1), .column = 1, .confidence = 0.9,
                      .value = "460-89-9847"});
  writer.OnFinding({.detector = ssn, .source = "a.txt", .line = 200, .column = 1, .confidence = 0.1, .value = "460-89-9847"});
  EXPECT_EQ(writer.Finish(), 100u);
  EXPECT_TRUE(writer.findings().empty());
  const std::string text = out.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 100);
}

// Masked values are written as Mask gives them, in records past the 64 KiB the writer holds
// back before writing, and what is held back is written when the writer goes.
TEST(JsonLines, MaskedValuesAreWhatMaskGives) {
  const std::vector<std::string> values = {"460-89-9847", "a@b.io", "jane.doe@example.co.uk", "ab", "abcd", "4111111111111111", "",
                                           "x\"y@z.io", "Zako\xc4\x8d", std::string(250, '7'), "a\\b", "tab\there"};
  const int email = TheEngine().FindDetector("email");
  std::ostringstream out, err;
  {
    ReportWriter writer(TheEngine(), {.format = Format::kJsonl}, out, err);
    for (size_t k = 0; k < 2000; ++k)
      writer.OnFinding({.detector = email, .source = "a.txt", .line = k + 1, .column = 1, .confidence = 0.9, .value = values[k % values.size()]});
    EXPECT_GT(out.str().size(), 0u);  // written as it went
  }
  std::istringstream lines(out.str());
  size_t k = 0;
  for (std::string line; std::getline(lines, line); ++k) {
    auto record = nlohmann::json::parse(line);
    EXPECT_EQ(record.dump(), line);
    EXPECT_EQ(record["value"], Mask(values[k % values.size()])) << k;
  }
  EXPECT_EQ(k, 2000u);
}

// A batch made into records on the scanning thread (Prepare) and written by OnBatch gives what
// the same findings one by one give: the records, the count and the findings kept, a batch past
// 64 KiB and one below it, findings under --min-confidence left out.
TEST(JsonLines, BatchesWriteWhatFindingsOneByOneWrite) {
  const int ssn = TheEngine().FindDetector("us_ssn"), email = TheEngine().FindDetector("email");
  std::vector<Finding> big, small;
  for (size_t k = 0; k < 1500; ++k)
    big.push_back({.detector = k % 2 ? ssn : email, .source = k < 700 ? "a.txt" : "b \"c\".txt", .line = k + 1, .column = 3,
                   .confidence = k % 5 == 0 ? 0.3 : 0.9, .value = k % 2 ? "460-89-9847" : "jane.doe@example.com"});
  small.assign(big.begin(), big.begin() + 10);
  std::ostringstream one_out, batch_out, err;
  ReportWriter one(TheEngine(), {.format = Format::kJsonl}, one_out, err), batched(TheEngine(), {.format = Format::kJsonl}, batch_out, err);
  for (const auto* batch : {&big, &small}) {
    for (const Finding& f : *batch) one.OnFinding(f);
    std::string prepared;
    batched.Prepare(*batch, prepared);
    batched.OnBatch(*batch, prepared);
  }
  EXPECT_EQ(one.Finish(), 1208u);
  EXPECT_EQ(batched.Finish(), 1208u);
  EXPECT_EQ(batch_out.str(), one_out.str());
  ASSERT_EQ(batched.findings().size(), one.findings().size());
  for (size_t k = 0; k < one.findings().size(); ++k) EXPECT_EQ(batched.findings()[k].line, one.findings()[k].line);
}

TEST(Redact, MasksEveryFindingAndKeepsLines) {
  const Engine& engine = RedactionEngine();
  auto session = engine.NewSession();
  std::string out = Redact(*session, engine, "Ticket from Emily Johnson <emily.j@mailbox-acme.net>\ncall +1-415-555-2671 ok\n");
  EXPECT_EQ(out, "Ticket from [REDACTED:person_name] <[REDACTED:email]>\ncall [REDACTED:phone] ok\n");
  // A position as two keys' values: each value masked, the keys left.
  EXPECT_EQ(Redact(*session, engine, R"({"lat":"48.85837","lng":"2.29448"})"),
            R"({"lat":"[REDACTED:geolocation]","lng":"[REDACTED:geolocation]"})");
  // A number wrapped after its area code is one finding across two lines: both lines stay.
  EXPECT_EQ(Redact(*session, engine, "we will call you on (415)\r\n555-0132 tomorrow\r\n"),
            "we will call you on [REDACTED:phone]\r\n tomorrow\r\n");
}

TEST(Mask, KeepsEnoughToRecognise) {
  EXPECT_EQ(Mask("460-89-9847"), "4**-**-9847");
  EXPECT_EQ(Mask("jane@mail.com"), "j***@m***.com");
  EXPECT_EQ(Mask("12345678"), "1*******");      // eight bytes: only the first is kept
  EXPECT_EQ(Mask("123456789"), "1****6789");    // more: the last four too
  EXPECT_EQ(Mask("abc"), "***");                // three or fewer: nothing
  EXPECT_EQ(Mask("Zako\xc4\x8d"), "Z*****");    // bytes beyond ASCII are masked
  EXPECT_EQ(Mask("-- 12\t34"), "-- 1*\\x09**");  // then made printable
}

}  // namespace
}  // namespace steward::scan
