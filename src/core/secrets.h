// Secrets: random identifiers, hashing, keyed hashing and sealing, all on libsodium.
//
// Every function is thread-safe once InitCrypto() has run (it is idempotent; the functions
// below call it themselves). An InstanceKey is the 32-byte secret of one Steward installation,
// kept in `secret.key` in the data dir (mode 0600); keyed hashes of tokens, codes and
// identifiers, and the sealing of personal data at rest, all derive from it.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/error.h"

namespace steward {

void InitCrypto();

// `bytes` random bytes, lowercase base32 (RFC 4648 alphabet, no padding): safe in URLs and paths.
std::string RandomBase32(size_t bytes);
// `n` random decimal digits, uniformly distributed.
std::string RandomDigits(int n);

std::string Sha256Hex(std::string_view data);
// HMAC-SHA-256 of `data` under `key`, hex encoded (webhook signatures).
std::string HmacSha256Hex(std::string_view key, std::string_view data);
// True when a and b are equal, in time that depends only on their lengths.
bool ConstantTimeEqual(std::string_view a, std::string_view b);

// KeyedHash for one purpose, with the subkey derived once: for hot paths (tokens, decisions).
// Same output as InstanceKey::KeyedHash(purpose, data). Thread-safe (Hash copies the state).
class KeyedHasher {
 public:
  std::string Hash(std::string_view data) const;

 private:
  friend class InstanceKey;
  struct State {
    alignas(16) unsigned char bytes[512];
  };
  State state_{};  // an HMAC-SHA-256 state keyed with the subkey, before any data
};

class InstanceKey;
// The keyed hash under which an identifier is kept on the suppression list (emails lowercased,
// phones as their digits), so erased and unsubscribed people are recognised without being stored.
std::string SuppressionKey(const InstanceKey& key, std::string_view type, std::string_view value);

class InstanceKey {
 public:
  static constexpr size_t kSize = 32;
  // A fresh random key.
  static InstanceKey Generate();
  // Reads the key file; creates it (0600) when absent and `create` is true.
  static Result<InstanceKey> LoadOrCreate(const std::filesystem::path& path, bool create);
  static InstanceKey FromBytes(const std::array<uint8_t, kSize>& bytes);

  // HMAC-SHA-256 of `data` under a subkey for `purpose` (domain separation), hex encoded.
  std::string KeyedHash(std::string_view purpose, std::string_view data) const;
  KeyedHasher Hasher(std::string_view purpose) const;
  // Authenticated encryption (XSalsa20-Poly1305) with a random nonce; output is base64.
  std::string Seal(std::string_view plaintext) const;
  // Inverse of Seal; invalid_argument when the ciphertext was altered or is not ours.
  Result<std::string> Open(std::string_view sealed) const;

  // Encrypts the file `in` into `out` (mode 0600) in 64 KiB authenticated chunks
  // (XChaCha20-Poly1305 secretstream under a subkey), for large data at rest.
  Status SealFile(const std::filesystem::path& in, const std::filesystem::path& out) const;
  // Decrypts a sealed file; invalid_argument when altered, truncated or not ours.
  Result<std::string> OpenFile(const std::filesystem::path& sealed) const;

 private:
  std::array<uint8_t, kSize> bytes_{};
};

}  // namespace steward
