#include "core/secrets.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace steward {

void InitCrypto() {
  static const bool ok = sodium_init() >= 0;
  if (!ok) std::abort();  // libsodium cannot run without a working RNG; nothing is safe then
}

std::string RandomBase32(size_t bytes) {
  InitCrypto();
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  std::vector<uint8_t> raw(bytes);
  randombytes_buf(raw.data(), raw.size());
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (uint8_t b : raw) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out.push_back(kAlphabet[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (5 - bits)) & 31]);
  return out;
}

std::string RandomDigits(int n) {
  InitCrypto();
  std::string out;
  for (int i = 0; i < n; ++i) out.push_back(static_cast<char>('0' + randombytes_uniform(10)));
  return out;
}

namespace {
std::string Hex(const unsigned char* data, size_t len) {
  std::string out(len * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, len);
  out.pop_back();
  return out;
}
}  // namespace

std::string Sha256Hex(std::string_view data) {
  InitCrypto();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return Hex(digest, sizeof digest);
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  InitCrypto();
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

InstanceKey InstanceKey::Generate() {
  InitCrypto();
  InstanceKey key;
  randombytes_buf(key.bytes_.data(), key.bytes_.size());
  return key;
}

InstanceKey InstanceKey::FromBytes(const std::array<uint8_t, kSize>& bytes) {
  InstanceKey key;
  key.bytes_ = bytes;
  return key;
}

Result<InstanceKey> InstanceKey::LoadOrCreate(const std::filesystem::path& path, bool create) {
  InitCrypto();
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return Fail(ErrorCode::kUnavailable, fmt::format("cannot read the key file: {}", std::strerror(errno)), path.string());
    InstanceKey key;
    size_t got = std::fread(key.bytes_.data(), 1, kSize, f);
    std::fclose(f);
    if (got != kSize) return Fail(ErrorCode::kInvalidArgument, "the key file is not 32 bytes; restore it from backup", path.string());
    return key;
  }
  if (!create) return Fail(ErrorCode::kNotFound, "no key file: run `steward init` first", path.string());
  InstanceKey key = Generate();
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) return Fail(ErrorCode::kUnavailable, fmt::format("cannot create the key file: {}", std::strerror(errno)), path.string());
  ssize_t wrote = ::write(fd, key.bytes_.data(), kSize);
  ::fsync(fd);
  ::close(fd);
  if (wrote != static_cast<ssize_t>(kSize)) return Fail(ErrorCode::kUnavailable, "short write of the key file", path.string());
  return key;
}

std::string HmacSha256Hex(std::string_view key, std::string_view data) {
  InitCrypto();
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&st, mac);
  char hex[sizeof mac * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return hex;
}

KeyedHasher InstanceKey::Hasher(std::string_view purpose) const {
  InitCrypto();
  static_assert(sizeof(crypto_auth_hmacsha256_state) <= sizeof(KeyedHasher::State::bytes));
  unsigned char subkey[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, bytes_.data(), bytes_.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(purpose.data()), purpose.size());
  crypto_auth_hmacsha256_final(&st, subkey);
  KeyedHasher h;
  crypto_auth_hmacsha256_init(reinterpret_cast<crypto_auth_hmacsha256_state*>(h.state_.bytes), subkey, sizeof subkey);
  sodium_memzero(subkey, sizeof subkey);
  return h;
}

std::string KeyedHasher::Hash(std::string_view data) const {
  crypto_auth_hmacsha256_state st;
  std::memcpy(&st, state_.bytes, sizeof st);
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&st, mac);
  return Hex(mac, sizeof mac);
}

std::string InstanceKey::KeyedHash(std::string_view purpose, std::string_view data) const {
  InitCrypto();
  // Subkey = HMAC(instance key, purpose); then HMAC(subkey, data).
  unsigned char subkey[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, bytes_.data(), bytes_.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(purpose.data()), purpose.size());
  crypto_auth_hmacsha256_final(&st, subkey);
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_init(&st, subkey, sizeof subkey);
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  crypto_auth_hmacsha256_final(&st, mac);
  sodium_memzero(subkey, sizeof subkey);
  return Hex(mac, sizeof mac);
}

std::string InstanceKey::Seal(std::string_view plaintext) const {
  InitCrypto();
  std::vector<unsigned char> buf(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size());
  unsigned char* nonce = buf.data();
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(plaintext.data()),
                        plaintext.size(), nonce, bytes_.data());
  std::string out(sodium_base64_ENCODED_LEN(buf.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), buf.data(), buf.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}

Result<std::string> InstanceKey::Open(std::string_view sealed) const {
  InitCrypto();
  std::vector<unsigned char> buf(sealed.size());
  size_t len = 0;
  if (sodium_base642bin(buf.data(), buf.size(), sealed.data(), sealed.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return Fail(ErrorCode::kInvalidArgument, "sealed value is not valid");
  }
  std::string out(len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(out.data()), buf.data() + crypto_secretbox_NONCEBYTES,
                                 len - crypto_secretbox_NONCEBYTES, buf.data(), bytes_.data()) != 0) {
    return Fail(ErrorCode::kInvalidArgument, "sealed value was altered or sealed under another key");
  }
  return out;
}

}  // namespace steward

namespace steward {
namespace {
constexpr size_t kFileChunk = 64 * 1024;

void FileKey(const std::array<uint8_t, InstanceKey::kSize>& master,
             unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES]) {
  static_assert(crypto_secretstream_xchacha20poly1305_KEYBYTES == crypto_auth_hmacsha256_BYTES);
  constexpr std::string_view kPurpose = "steward-file-seal-v1";
  crypto_auth_hmacsha256(key, reinterpret_cast<const unsigned char*>(kPurpose.data()), kPurpose.size(), master.data());
}
}  // namespace

Status InstanceKey::SealFile(const std::filesystem::path& in, const std::filesystem::path& out) const {
  InitCrypto();
  std::FILE* src = std::fopen(in.c_str(), "rb");
  if (!src) return Fail(ErrorCode::kInternal, "cannot read the file to seal", in.string());
  const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::FILE* dst = fd >= 0 ? ::fdopen(fd, "wb") : nullptr;
  if (!dst) {
    std::fclose(src);
    return Fail(ErrorCode::kInternal, "cannot write the sealed file", out.string());
  }
  unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
  FileKey(bytes_, key);
  crypto_secretstream_xchacha20poly1305_state st;
  unsigned char header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
  crypto_secretstream_xchacha20poly1305_init_push(&st, header, key);
  sodium_memzero(key, sizeof key);
  bool ok = std::fwrite(header, 1, sizeof header, dst) == sizeof header;
  std::vector<unsigned char> plain(kFileChunk), cipher(kFileChunk + crypto_secretstream_xchacha20poly1305_ABYTES);
  for (bool last = false; ok && !last;) {
    const size_t n = std::fread(plain.data(), 1, plain.size(), src);
    last = n < plain.size();
    if (std::ferror(src)) ok = false;
    unsigned long long clen = 0;
    crypto_secretstream_xchacha20poly1305_push(&st, cipher.data(), &clen, plain.data(), n, nullptr, 0,
                                               last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
    ok = ok && std::fwrite(cipher.data(), 1, clen, dst) == clen;
  }
  std::fclose(src);
  ok = std::fflush(dst) == 0 && ::fsync(fileno(dst)) == 0 && ok;
  ok = std::fclose(dst) == 0 && ok;
  if (!ok) {
    std::filesystem::remove(out);
    return Fail(ErrorCode::kInternal, "sealing the file failed", out.string());
  }
  return {};
}

Result<std::string> InstanceKey::OpenFile(const std::filesystem::path& sealed) const {
  InitCrypto();
  std::FILE* src = std::fopen(sealed.c_str(), "rb");
  if (!src) return Fail(ErrorCode::kNotFound, "no such sealed file", sealed.filename().string());
  unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
  FileKey(bytes_, key);
  unsigned char header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
  crypto_secretstream_xchacha20poly1305_state st;
  bool ok = std::fread(header, 1, sizeof header, src) == sizeof header &&
            crypto_secretstream_xchacha20poly1305_init_pull(&st, header, key) == 0;
  sodium_memzero(key, sizeof key);
  std::string out;
  std::vector<unsigned char> cipher(kFileChunk + crypto_secretstream_xchacha20poly1305_ABYTES), plain(kFileChunk);
  bool final = false;
  while (ok && !final) {
    const size_t n = std::fread(cipher.data(), 1, cipher.size(), src);
    unsigned long long plen = 0;
    unsigned char tag = 0;
    if (n < crypto_secretstream_xchacha20poly1305_ABYTES ||
        crypto_secretstream_xchacha20poly1305_pull(&st, plain.data(), &plen, &tag, cipher.data(), n, nullptr, 0) != 0) {
      ok = false;
      break;
    }
    out.append(reinterpret_cast<const char*>(plain.data()), plen);
    final = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
  }
  std::fclose(src);
  if (!ok || !final) return Fail(ErrorCode::kInvalidArgument, "the sealed file was altered or is not ours");
  return out;
}

}  // namespace steward

namespace steward {

std::string SuppressionKey(const InstanceKey& key, std::string_view type, std::string_view value) {
  std::string normalized;
  for (unsigned char c : value) {
    if (std::isspace(c)) continue;
    if (type == "email") normalized += static_cast<char>(std::tolower(c));
    else if (type == "phone") {
      if (std::isdigit(c)) normalized += static_cast<char>(c);
    } else {
      normalized += static_cast<char>(c);
    }
  }
  return key.KeyedHash("suppression", std::string(type) + ":" + normalized);
}

}  // namespace steward
