#include "scan/internal/validate.h"

#include "core/text.h"

#include <arpa/inet.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <vector>
#include <string_view>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace steward::scan::internal {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

int ToInt(std::string_view digits) {
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

bool StartsWithRange(std::string_view d, int lo, int hi) {
  size_t width = std::to_string(lo).size();
  if (d.size() < width) return false;
  int prefix = ToInt(d.substr(0, width));
  return prefix >= lo && prefix <= hi;
}

std::chrono::year_month_day Today() {
  return std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
}

}  // namespace

std::string Digits(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s)
    if (IsDigit(c)) out.push_back(c);
  return out;
}

bool LuhnValid(std::string_view digits) {
  if (digits.empty()) return false;
  int sum = 0;
  bool dbl = false;
  for (size_t i = digits.size(); i-- > 0;) {
    if (!IsDigit(digits[i])) return false;
    int d = digits[i] - '0';
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 == 0;
}

bool CardValid(std::string_view raw) {
  // Separators: none, or all the same (space or dash) in groups of 4 (or Amex 4-6-5).
  char sep = 0;
  size_t group = 0;
  std::array<size_t, 8> groups{};
  size_t ngroups = 0;
  for (char c : raw) {
    if (IsDigit(c)) {
      ++group;
      continue;
    }
    if (c != ' ' && c != '-') return false;
    if (sep && c != sep) return false;
    sep = c;
    if (group == 0 || ngroups + 1 >= groups.size()) return false;
    groups[ngroups++] = group;
    group = 0;
  }
  groups[ngroups++] = group;
  if (sep) {
    bool fours = true;
    for (size_t i = 0; i + 1 < ngroups; ++i) fours &= groups[i] == 4;
    bool amex = ngroups == 3 && groups[0] == 4 && groups[1] == 6 && groups[2] == 5;
    if (!fours && !amex) return false;
  }
  std::string d = Digits(raw);
  size_t n = d.size();
  if (n < 13 || n > 19 || !LuhnValid(d)) return false;
  if (d[0] == '4') return n == 13 || n == 16 || n == 19;                                     // Visa
  if (StartsWithRange(d, 51, 55) || StartsWithRange(d, 2221, 2720)) return n == 16;          // Mastercard
  if (StartsWithRange(d, 34, 34) || StartsWithRange(d, 37, 37)) return n == 15;              // Amex
  if (StartsWithRange(d, 6011, 6011) || StartsWithRange(d, 644, 649) || StartsWithRange(d, 65, 65))
    return n >= 16;                                                                          // Discover
  if (StartsWithRange(d, 3528, 3589)) return n >= 16;                                        // JCB
  if (StartsWithRange(d, 1800, 1800) || StartsWithRange(d, 2131, 2131)) return n == 15;      // JCB (old)
  if (StartsWithRange(d, 300, 305) || StartsWithRange(d, 3095, 3095) || StartsWithRange(d, 36, 36) ||
      StartsWithRange(d, 38, 39))
    return n >= 14;                                                                          // Diners
  if (StartsWithRange(d, 2200, 2204)) return n == 16;                                        // Mir
  if (StartsWithRange(d, 62, 62)) return n >= 16;                                            // UnionPay
  if (StartsWithRange(d, 50, 50) || StartsWithRange(d, 56, 69)) return n >= 13;              // Maestro
  return false;
}

bool IbanValid(std::string_view raw) {
  struct CountryLength { char code[3]; int length; };
  static constexpr CountryLength kLengths[] = {
      {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
      {"BH", 22}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24}, {"DE", 22},
      {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FO", 18}, {"FR", 27},
      {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28},
      {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20},
      {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21}, {"MC", 27}, {"MD", 24},
      {"ME", 22}, {"MK", 19}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NL", 18}, {"NO", 15}, {"PK", 24},
      {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"SA", 24}, {"SC", 31},
      {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"ST", 25}, {"SV", 28}, {"TL", 23}, {"TN", 24},
      {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20}};
  char s[34];  // the IBAN without its spaces, in upper case: 15 to 34 letters and digits
  size_t n = 0;
  for (char c : raw) {
    if (c == ' ') continue;
    const auto b = static_cast<unsigned char>(c);
    const bool letter = static_cast<unsigned char>((b | 0x20) - 'a') < 26;
    if (!letter && !IsDigit(c)) return false;
    if (n == sizeof s) return false;
    s[n++] = letter ? static_cast<char>(b & ~0x20) : c;
  }
  if (n < 15) return false;
  const auto country = std::find_if(std::begin(kLengths), std::end(kLengths),
                                    [&s](const CountryLength& k) { return k.code[0] == s[0] && k.code[1] == s[1]; });
  if (country == std::end(kLengths) || static_cast<int>(n) != country->length) return false;
  if (!IsDigit(s[2]) || !IsDigit(s[3])) return false;
  int remainder = 0;  // of the number the IBAN's letters and digits make, its first four moved to its end
  for (size_t k = 0; k < n; ++k) {
    const char c = s[(k + 4) % n];
    int v = IsDigit(c) ? c - '0' : c - 'A' + 10;
    remainder = v >= 10 ? (remainder * 100 + v) % 97 : (remainder * 10 + v) % 97;
  }
  return remainder == 1;
}

bool AbaValid(std::string_view d) {
  if (d.size() != 9) return false;
  for (char c : d)
    if (!IsDigit(c)) return false;
  int prefix = ToInt(d.substr(0, 2));
  bool known = prefix <= 12 || (prefix >= 21 && prefix <= 32) || (prefix >= 61 && prefix <= 72) || prefix == 80;
  if (!known || d == "000000000") return false;
  int sum = 0;
  static constexpr int kWeights[] = {3, 7, 1};
  for (size_t i = 0; i < 9; ++i) sum += (d[i] - '0') * kWeights[i % 3];
  return sum % 10 == 0;
}

namespace {
bool SplitSsn(std::string_view raw, int& area, int& group, int& serial) {
  std::string d = Digits(raw);
  if (d.size() != 9) return false;
  area = ToInt(d.substr(0, 3));
  group = ToInt(d.substr(3, 2));
  serial = ToInt(d.substr(5, 4));
  return true;
}
}  // namespace

bool SsnValid(std::string_view raw) {
  int area, group, serial;
  if (!SplitSsn(raw, area, group, serial)) return false;
  if (area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0) return false;
  std::string d = Digits(raw);
  // Numbers published in advertising and Social Security's own examples.
  if (d == "078051120" || d == "219099999" || d == "123456789") return false;
  return true;
}

bool ItinValid(std::string_view raw) {
  int area, group, serial;
  if (!SplitSsn(raw, area, group, serial)) return false;
  if (area < 900) return false;
  return (group >= 50 && group <= 65) || (group >= 70 && group <= 88) || (group >= 90 && group <= 92) ||
         (group >= 94 && group <= 99);
}

namespace {

int Num(std::string_view digits) {
  int n = 0;
  for (char c : digits) n = n * 10 + (c - '0');
  return n;
}

// A day and a month that can be a date's (the schemes below write no century, or code it apart).
bool PlausibleDayMonth(int day, int month) { return month >= 1 && month <= 12 && day >= 1 && day <= 31; }

bool FinnishValid(std::string_view raw) {
  // DDMMYY, a century sign, a three-digit serial and a check character over the nine digits.
  if (raw.size() != 11 || std::string_view("-+ABCDEFUVWXY").find(raw[6]) == std::string_view::npos) return false;
  std::string digits = std::string(raw.substr(0, 6)) + std::string(raw.substr(7, 3));
  if (Digits(digits).size() != 9 || !PlausibleDayMonth(Num(raw.substr(0, 2)), Num(raw.substr(2, 2)))) return false;
  static constexpr std::string_view kCheck = "0123456789ABCDEFHJKLMNPRSTUVWXY";
  return kCheck[static_cast<size_t>(std::stol(digits) % 31)] == raw[10];
}

bool PeselValid(std::string_view d) {
  static constexpr int kWeights[] = {1, 3, 7, 9, 1, 3, 7, 9, 1, 3};
  int sum = 0;
  for (int i = 0; i < 10; ++i) sum += (d[static_cast<size_t>(i)] - '0') * kWeights[i];
  // The month carries the century (+20 for the 2000s, +80 for the 1800s …).
  return (10 - sum % 10) % 10 == d[10] - '0' && PlausibleDayMonth(Num(d.substr(4, 2)), Num(d.substr(2, 2)) % 20);
}

bool CpfValid(std::string_view d) {
  if (std::all_of(d.begin(), d.end(), [&](char c) { return c == d[0]; })) return false;
  for (int n : {9, 10}) {
    int sum = 0;
    for (int i = 0; i < n; ++i) sum += (d[static_cast<size_t>(i)] - '0') * (n + 1 - i);
    if ((sum * 10) % 11 % 10 != d[static_cast<size_t>(n)] - '0') return false;
  }
  return true;
}

// raw without the byte c.
std::string Without(std::string_view raw, char c) {
  std::string out;
  for (char b : raw)
    if (b != c) out += b;
  return out;
}

bool NinoValid(std::string_view raw) {
  const std::string v = Without(raw, ' ');
  if (v.size() != 8 && v.size() != 9) return false;
  static constexpr std::string_view kNotFirst = "DFIQUV", kNotSecond = "DFIOQUV";
  if (!std::isupper(static_cast<unsigned char>(v[0])) || !std::isupper(static_cast<unsigned char>(v[1])) ||
      kNotFirst.find(v[0]) != std::string_view::npos || kNotSecond.find(v[1]) != std::string_view::npos)
    return false;
  std::string_view prefix(v.data(), 2);
  for (std::string_view never : {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})
    if (prefix == never) return false;
  if (Digits(std::string_view(v).substr(2, 6)).size() != 6) return false;
  return v.size() == 8 || (v[8] >= 'A' && v[8] <= 'D');
}

// Italy's codice fiscale: three letters each for surname and name, the birth year, a month
// letter, the day (plus 40 for women), the birthplace (a letter and three digits) and a check
// letter. When two people would share a code, digits are swapped for the letters LMNPQRSTUV
// from the right ("omocodia"). The check letter sums a table's value for each character in an
// odd place and the character's own value (A or 0 is 0) for each in an even place, mod 26.
bool CodiceFiscaleValid(std::string_view s) {
  if (s.size() != 16) return false;
  static constexpr std::string_view kForDigit = "LMNPQRSTUV", kMonths = "ABCDEHLMPRST";
  const auto digit = [&](char c) -> int {
    if (IsDigit(c)) return c - '0';
    const size_t k = kForDigit.find(c);
    return k == std::string_view::npos ? -1 : static_cast<int>(k);
  };
  const auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  for (size_t i : {0, 1, 2, 3, 4, 5, 8, 11, 15})
    if (!upper(s[i])) return false;
  for (size_t i : {6, 7, 9, 10, 12, 13, 14})
    if (digit(s[i]) < 0) return false;
  int day = digit(s[9]) * 10 + digit(s[10]);
  if (day > 40) day -= 40;  // a woman's
  if (kMonths.find(s[8]) == std::string_view::npos || day < 1 || day > 31) return false;
  static constexpr int kOdd[26] = {1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23};
  int sum = 0;
  for (size_t i = 0; i < 15; ++i) {
    const int value = IsDigit(s[i]) ? s[i] - '0' : s[i] - 'A';  // a digit weighs as the letter in its place
    sum += i % 2 == 0 ? kOdd[value] : value;
  }
  return s[15] == 'A' + sum % 26;
}

// South Africa's identity number: the birth date (YYMMDD), four digits of sequence,
// citizenship (0 citizen, 1 permanent resident, 2 refugee), a digit no longer used, and a Luhn
// check digit.
bool SaIdValid(std::string_view d) {
  return d.size() == 13 && PlausibleDayMonth(Num(d.substr(4, 2)), Num(d.substr(2, 2))) && d[10] >= '0' && d[10] <= '2' &&
         LuhnValid(d);
}

// France's NIR: sex (1 or 2), year, month, département, commune, order (thirteen characters),
// then a key of 97 minus their remainder mod 97. Corsica's départements 2A and 2B count as 19
// and 18 in the key. Spaces anywhere.
bool NirValid(std::string_view raw) {
  std::string v = Without(raw, ' ');
  if (v.size() != 15 || (v[0] != '1' && v[0] != '2')) return false;
  if (v[5] == '2' && (v[6] == 'A' || v[6] == 'B')) v.replace(5, 2, v[6] == 'A' ? "19" : "18");
  if (Digits(v).size() != 15) return false;
  return 97 - std::stoll(v.substr(0, 13)) % 97 == std::stoll(v.substr(13));
}

}  // namespace

std::string_view NationalIdCountry(std::string_view raw) {
  if (raw.size() >= 2 && std::isalpha(static_cast<unsigned char>(raw[0])) && std::isalpha(static_cast<unsigned char>(raw[1])))
    return raw.size() == 16 ? (CodiceFiscaleValid(raw) ? "IT" : "") : NinoValid(raw) ? "GB" : "";
  if (std::string compact = Without(raw, ' '); compact.size() == 15 && compact[5] == '2' && (compact[6] == 'A' || compact[6] == 'B'))
    return NirValid(compact) ? "FR" : "";  // born in Corsica
  // Finland's check character is a digit one time in three: try it before the all-digit schemes.
  if (raw.size() == 11 && FinnishValid(raw)) return "FI";
  if (raw.size() == 11 && !IsDigit(raw[10])) return "";
  const std::string d = Digits(raw);
  switch (d.size()) {
    case 9:
      return d[0] != '0' && d[0] != '8' && LuhnValid(d) ? "CA" : "";
    case 10:  // YYMMDD-NNNC in Sweden (a coordination number's day is 60 more), DDMMYY-NNNN in Denmark
      if (raw.size() == 11 && raw[6] != '-' && raw[6] != '+') return "";
      if (LuhnValid(d) && PlausibleDayMonth(Num(d.substr(4, 2)) % 60, Num(d.substr(2, 2)))) return "SE";
      if (raw.size() == 11 && raw[6] == '+') return "";
      return PlausibleDayMonth(Num(d.substr(0, 2)), Num(d.substr(2, 2))) ? "DK" : "";
    case 11:
      if (raw.find('.') != std::string_view::npos || raw.find('-') != std::string_view::npos) return CpfValid(d) ? "BR" : "";
      return PeselValid(d) ? "PL" : CpfValid(d) ? "BR" : "";
    case 13:
      return SaIdValid(d) ? "ZA" : "";
    case 15:
      return NirValid(d) ? "FR" : "";
    default:
      return "";
  }
}

std::optional<std::array<int, 4>> Ipv4Octets(std::string_view s) {
  std::array<int, 4> octets{};
  int parts = 0;
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = i;
    while (j < s.size() && IsDigit(s[j])) ++j;
    size_t len = j - i;
    if (len == 0 || len > 3 || (len > 1 && s[i] == '0') || parts == 4) return std::nullopt;
    const long octet = ToInt(s.substr(i, len));
    if (octet > 255) return std::nullopt;
    octets[parts++] = static_cast<int>(octet);
    if (j == s.size()) break;
    if (s[j] != '.') return std::nullopt;
    i = j + 1;
  }
  if (parts != 4) return std::nullopt;
  return octets;
}

bool Ipv4Valid(std::string_view s) { return Ipv4Octets(s).has_value(); }

bool Ipv6Valid(std::string_view s) {
  if (s.size() < 3 || s.size() > 45) return false;
  char buf[64];
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = 0;
  unsigned char out[16];
  if (inet_pton(AF_INET6, buf, out) != 1) return false;
  // "::" alone, or "::1"-like tiny forms, say little; require some hex beyond a lone group.
  int hex = 0;
  for (char c : s) hex += std::isxdigit(static_cast<unsigned char>(c)) ? 1 : 0;
  return hex >= 4;
}

bool E164Plausible(std::string_view d) {
  // Country code → national significant number lengths (ITU-T E.164 assignments, national plans).
  struct Plan { const char* cc; int min, max; };
  static constexpr Plan kPlans[] = {
      {"1", 10, 10},   {"7", 10, 10},   {"20", 9, 10},   {"27", 9, 9},    {"30", 10, 10},  {"31", 9, 9},
      {"32", 8, 9},    {"33", 9, 9},    {"34", 9, 9},    {"36", 8, 9},    {"39", 6, 11},   {"40", 9, 9},
      {"41", 9, 9},    {"43", 7, 13},   {"44", 9, 10},   {"45", 8, 8},    {"46", 7, 10},   {"47", 8, 8},
      {"48", 9, 9},    {"49", 6, 13},   {"51", 8, 9},    {"52", 10, 10},  {"54", 10, 11},  {"55", 10, 11},
      {"56", 9, 9},    {"57", 8, 10},   {"58", 10, 10},  {"60", 7, 10},   {"61", 9, 9},    {"62", 8, 12},
      {"63", 8, 10},   {"64", 8, 10},   {"65", 8, 8},    {"66", 8, 9},    {"81", 9, 10},   {"82", 8, 10},
      {"84", 9, 10},   {"86", 10, 11},  {"90", 10, 10},  {"91", 10, 10},  {"92", 9, 10},   {"94", 9, 9},
      {"98", 10, 10},  {"212", 9, 9},   {"213", 9, 9},   {"216", 8, 8},   {"234", 8, 10},  {"254", 9, 9},
      {"255", 9, 9},   {"256", 9, 9},   {"299", 6, 6},   {"351", 9, 9},   {"352", 6, 11},  {"353", 7, 9},
      {"354", 7, 9},   {"356", 8, 8},   {"357", 8, 8},   {"358", 6, 12},  {"359", 8, 9},   {"370", 8, 8},
      {"371", 8, 8},   {"372", 7, 8},   {"380", 9, 9},   {"381", 8, 9},   {"385", 8, 9},   {"386", 8, 8},
      {"420", 9, 9},   {"421", 9, 9},   {"852", 8, 8},   {"886", 9, 9},   {"966", 9, 9},   {"971", 8, 9},
      {"972", 8, 9},   {"598", 8, 8},   {"593", 8, 9},   {"506", 8, 8},   {"507", 7, 8},   {"880", 10, 10}};
  for (const auto& plan : kPlans) {
    std::string_view cc = plan.cc;
    if (d.substr(0, cc.size()) != cc) continue;
    int national = static_cast<int>(d.size() - cc.size());
    if (national >= plan.min && national <= plan.max) {
      // Written with +1, it is meant as a phone number: only the area code is checked.
      if (cc == "1") return d[1] >= '2' && !(d[2] == '1' && d[3] == '1');
      return true;
    }
  }
  return false;
}

bool NanpValid(std::string_view d) {
  if (d.size() != 10) return false;
  if (d[0] < '2' || d[3] < '2') return false;
  if (d[1] == '1' && d[2] == '1') return false;  // N11 service codes
  if (d[4] == '1' && d[5] == '1') return false;
  if (d.substr(3, 3) == "555" && d.substr(6, 2) == "01") return false;  // reserved for fiction
  return true;
}

bool UkPostcodeValid(std::string_view raw) {
  std::string s;
  for (char c : raw)
    if (c != ' ') s.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  if (s.size() < 5 || s.size() > 7) return false;
  std::string_view in = std::string_view(s).substr(s.size() - 3);
  std::string_view out = std::string_view(s).substr(0, s.size() - 3);
  if (!IsDigit(in[0])) return false;
  for (char c : in.substr(1))
    if (std::strchr("ABDEFGHJLNPQRSTUWXYZ", c) == nullptr) return false;
  if (std::strchr("QVX", out[0]) != nullptr || !std::isalpha(static_cast<unsigned char>(out[0]))) return false;
  if (out.size() >= 2 && std::isalpha(static_cast<unsigned char>(out[1])) && std::strchr("IJZ", out[1]) != nullptr)
    return false;
  return true;
}

bool DateExists(int year, int month, int day) {
  using namespace std::chrono;
  year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                     std::chrono::day{static_cast<unsigned>(day)}};
  return ymd.ok() && year >= 1900 && ymd <= Today();
}

int AgeFromDate(std::string_view raw) {
  static constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
  int nums[3] = {0, 0, 0};
  int widths[3] = {0, 0, 0};
  int n = 0, month_name = 0;
  char sep = 0;
  for (size_t i = 0; i < raw.size();) {
    if (IsDigit(raw[i])) {
      if (n == 3) return -1;
      size_t j = i;
      while (j < raw.size() && IsDigit(raw[j]) && j - i < 5) ++j;
      nums[n] = ToInt(raw.substr(i, j - i));
      widths[n++] = static_cast<int>(j - i);
      i = j;
    } else if (std::isalpha(static_cast<unsigned char>(raw[i]))) {
      size_t j = i;
      while (j < raw.size() && std::isalpha(static_cast<unsigned char>(raw[j]))) ++j;
      if (j - i >= 3) {
        std::string word;
        for (size_t k = i; k < i + 3; ++k) word.push_back(Lower(raw[k]));
        for (int m = 0; m < 12; ++m)
          if (word == kMonths[m]) month_name = m + 1;
      }
      i = j;
    } else {
      if (raw[i] == '/' || raw[i] == '-' || raw[i] == '.') sep = raw[i];
      ++i;
    }
  }
  int y = 0, m = 0, d = 0;
  if (month_name && n == 2) {
    m = month_name;
    if (widths[0] == 4) { y = nums[0]; d = nums[1]; }
    else if (widths[1] == 4) { d = nums[0]; y = nums[1]; }
    else return -1;
  } else if (n == 3 && widths[0] == 4) {
    y = nums[0]; m = nums[1]; d = nums[2];
  } else if (n == 3 && widths[2] == 4) {
    y = nums[2];
    if (sep == '/') { m = nums[0]; d = nums[1]; }   // US order
    else { d = nums[0]; m = nums[1]; }               // d.m.yyyy, d-m-yyyy
    if (m > 12 && d <= 12) std::swap(m, d);
  } else {
    return -1;
  }
  if (!DateExists(y, m, d)) return -1;
  auto today = Today();
  int age = static_cast<int>(today.year()) - y;
  if (static_cast<unsigned>(today.month()) < static_cast<unsigned>(m) ||
      (static_cast<unsigned>(today.month()) == static_cast<unsigned>(m) && static_cast<unsigned>(today.day()) < static_cast<unsigned>(d)))
    --age;
  return age;
}

namespace {
bool Base58CheckValid(std::string_view s) {
  static constexpr std::string_view kAlphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  std::array<unsigned char, 25> out{};
  for (char c : s) {
    size_t v = kAlphabet.find(c);
    if (v == std::string_view::npos) return false;
    unsigned carry = static_cast<unsigned>(v);
    for (size_t i = out.size(); i-- > 0;) {
      carry += 58u * out[i];
      out[i] = static_cast<unsigned char>(carry & 0xff);
      carry >>= 8;
    }
    if (carry != 0) return false;  // longer than 25 bytes
  }
  if (out[0] != 0x00 && out[0] != 0x05) return false;
  unsigned char h1[crypto_hash_sha256_BYTES], h2[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h1, out.data(), 21);
  crypto_hash_sha256(h2, h1, sizeof h1);
  return std::memcmp(h2, out.data() + 21, 4) == 0;
}

uint32_t Bech32Polymod(const std::vector<uint8_t>& values) {
  static constexpr uint32_t kGen[] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
  uint32_t chk = 1;
  for (uint8_t v : values) {
    uint8_t top = static_cast<uint8_t>(chk >> 25);
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (int i = 0; i < 5; ++i)
      if ((top >> i) & 1) chk ^= kGen[i];
  }
  return chk;
}

bool Bech32Valid(std::string_view s) {
  static constexpr std::string_view kCharset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  size_t sep = s.rfind('1');
  if (sep == std::string_view::npos || sep == 0 || sep + 7 > s.size()) return false;
  bool lower = false, upper = false;
  std::vector<uint8_t> values;
  std::string_view hrp = s.substr(0, sep);
  for (char c : s) {
    lower |= (c >= 'a' && c <= 'z');
    upper |= (c >= 'A' && c <= 'Z');
  }
  if (lower && upper) return false;
  for (char c : hrp) values.push_back(static_cast<uint8_t>(Lower(c) >> 5));
  values.push_back(0);
  for (char c : hrp) values.push_back(static_cast<uint8_t>(Lower(c) & 31));
  for (char c : s.substr(sep + 1)) {
    size_t v = kCharset.find(Lower(c));
    if (v == std::string_view::npos) return false;
    values.push_back(static_cast<uint8_t>(v));
  }
  uint32_t pm = Bech32Polymod(values);
  return pm == 1 || pm == 0x2bc830a3;  // Bech32 (BIP-173) or Bech32m (BIP-350)
}
}  // namespace

bool BitcoinValid(std::string_view s) {
  if (s.size() > 3 && (s[0] == 'b' || s[0] == 'B') && (s[1] == 'c' || s[1] == 'C') && s[2] == '1')
    return Bech32Valid(s);
  return Base58CheckValid(s);
}

namespace {
// Whether one of `words` occurs in the line before `pos` (at most `window` bytes), in ASCII lower
// case. Lowered into a buffer on the stack: validators ask this of nearly every candidate, and a
// std::string of the 48 bytes was a heap allocation each time.
template <typename Words>
bool AnyBefore(std::string_view text, size_t pos, const Words& words, size_t window) {
  const size_t begin = pos > window ? pos - window : 0;
  std::string_view before = text.substr(begin, pos - begin);
  if (size_t nl = before.rfind('\n'); nl != std::string_view::npos) before.remove_prefix(nl + 1);
#ifdef __SSE2__
  // Where each word's first two bytes are, sixteen places at a time, then a compare there: the
  // validators' lists hold up to 28 words, and a memchr call per word was most of a name's or a
  // phone number's validation (callgrind, 2026-11-29). The window is lowered sixteen bytes at a
  // time too.
  if (before.size() <= 64) {
    alignas(16) char lower[80] = {};  // 64 bytes and the zeros the sixteen-byte loads below read past them
    std::memcpy(lower, before.data(), before.size());
    const size_t m = before.size(), blocks = (m + 15) / 16;
    __m128i at[4], next[4];
    for (size_t k = 0; k < blocks; ++k) {
      const __m128i v = _mm_load_si128(reinterpret_cast<const __m128i*>(lower + 16 * k));
      const __m128i u = _mm_sub_epi8(v, _mm_set1_epi8('A'));  // a capital when u <= 25, unsigned
      const __m128i capital = _mm_cmpeq_epi8(_mm_min_epu8(u, _mm_set1_epi8(25)), u);
      _mm_store_si128(reinterpret_cast<__m128i*>(lower + 16 * k), _mm_or_si128(v, _mm_and_si128(capital, _mm_set1_epi8(0x20))));
    }
    for (size_t k = 0; k < blocks; ++k) {
      at[k] = _mm_load_si128(reinterpret_cast<const __m128i*>(lower + 16 * k));
      next[k] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(lower + 16 * k + 1));
    }
    for (const auto& word : words) {
      const std::string_view w(word);
      if (w.empty()) return true;
      if (w.size() > m) continue;
      const __m128i first = _mm_set1_epi8(w[0]), second = _mm_set1_epi8(w.size() > 1 ? w[1] : 0);
      uint64_t starts = 0;
      for (size_t k = 0; k < blocks; ++k) {
        __m128i hit = _mm_cmpeq_epi8(at[k], first);
        if (w.size() > 1) hit = _mm_and_si128(hit, _mm_cmpeq_epi8(next[k], second));
        starts |= static_cast<uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(hit))) << (16 * k);
      }
      const size_t fits = m - w.size() + 1;  // the places the word fits at
      if (fits < 64) starts &= (uint64_t{1} << fits) - 1;
      for (; starts != 0; starts &= starts - 1)
        if (std::memcmp(lower + __builtin_ctzll(starts), w.data(), w.size()) == 0) return true;
    }
    return false;
  }
#endif
  std::string lower(before);
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c | 0x20);
  for (const auto& w : words)
    if (lower.find(w) != std::string_view::npos) return true;
  return false;
}
}  // namespace

bool ContextBefore(std::string_view text, size_t pos, std::initializer_list<std::string_view> words, size_t window) {
  return AnyBefore(text, pos, words, window);
}

bool ContextBefore(std::string_view text, size_t pos, const std::vector<std::string>& words, size_t window) {
  return AnyBefore(text, pos, words, window);
}

}  // namespace steward::scan::internal
