// Checksums and plausibility checks behind the scanner's detectors. Pure functions of their
// arguments; safe from any thread. Inputs are raw matched bytes (separators allowed where a
// function says so).
#pragma once

#include <array>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace steward::scan::internal {

// The decimal digits of s, in order (separators dropped).
std::string Digits(std::string_view s);
// Luhn mod-10 over a digit string (cards, IMEI, ICCID).
bool LuhnValid(std::string_view digits);
// Payment card: 13–19 digits, Luhn, and a known issuer range for that length; separators, if
// any, must be one kind and form the usual groups.
bool CardValid(std::string_view raw);
// IBAN: known country, that country's length, mod-97 == 1 (spaces allowed, any case).
bool IbanValid(std::string_view raw);
// ABA routing number: 9 digits, 3-7-1 weighted checksum, a Federal Reserve prefix.
bool AbaValid(std::string_view digits);
// US SSN (area not 000, 666 or 900–999; group not 00; serial not 0000; not an advertised sample).
bool SsnValid(std::string_view raw);
// US ITIN: 9xx-[50–65|70–88|90–92|94–99]-xxxx.
bool ItinValid(std::string_view raw);
// A national identity number outside the US, by its checksum: the country whose scheme raw
// passes ("SE" personnummer, Luhn; "FI" henkilötunnus, mod 31; "PL" PESEL; "BR" CPF, two mod-11
// digits; "CA" SIN, Luhn; "FR" NIR, mod-97 key, Corsica's 2A and 2B too; "GB" National Insurance
// number, allocated prefixes; "IT" codice fiscale, its check letter; "ZA" identity number, a
// date, citizenship and Luhn; "DK" CPR, a real date only), or "" for none. Separators as each
// country writes them.
std::string_view NationalIdCountry(std::string_view raw);
bool Ipv4Valid(std::string_view s);  // dotted quad, each 0–255, no leading zeros
std::optional<std::array<int, 4>> Ipv4Octets(std::string_view s);  // its four parts when valid
bool Ipv6Valid(std::string_view s);  // inet_pton, and at least one ':' group of hex
// Phone number digits: with a country code (E.164, "+" already stripped) → plausible length for
// that code; returns false for unknown codes.
bool E164Plausible(std::string_view digits);
// North American number: area code and exchange start 2–9, not N11, not 555-01xx fiction.
bool NanpValid(std::string_view digits10);
// UK postcode: outward area letters and inward letters allowed by Royal Mail.
bool UkPostcodeValid(std::string_view raw);
// A calendar date that exists, as y/m/d; year 1900..today.
bool DateExists(int year, int month, int day);
// Parses "m/d/yyyy", "d.m.yyyy", "yyyy-mm-dd", "Month d, yyyy", "d Month yyyy" (US order for
// slashes); returns the age in whole years today, or -1.
int AgeFromDate(std::string_view raw);
// Bitcoin address: Base58Check (version 0x00/0x05) or Bech32/Bech32m (bc1…).
bool BitcoinValid(std::string_view s);
// True when one of `words` (lowercase) occurs, case-insensitively, in the `window` bytes of
// `text` before `pos`, on the same line.
bool ContextBefore(std::string_view text, size_t pos, std::initializer_list<std::string_view> words,
                   size_t window = 48);
// The same for a rule file's words (already lowercase).
bool ContextBefore(std::string_view text, size_t pos, const std::vector<std::string>& words, size_t window);

}  // namespace steward::scan::internal
