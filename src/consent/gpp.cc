#include "consent/gpp.h"

#include <algorithm>

namespace steward::consent {
namespace {

class Bits {
 public:
  void Int(int value, int width) {
    for (int i = width - 1; i >= 0; --i) bits_.push_back(((value >> i) & 1) != 0);
  }
  void Bool(bool b) { bits_.push_back(b); }
  // Fibonacci code of n >= 1: a 1 for each Zeckendorf term (smallest first), then a final 1.
  void Fibonacci(int n) {
    std::vector<int> fib = {1, 2};
    while (fib.back() <= n) fib.push_back(fib[fib.size() - 1] + fib[fib.size() - 2]);
    std::vector<bool> code(fib.size(), false);
    int highest = -1;
    for (int i = static_cast<int>(fib.size()) - 1; i >= 0 && n > 0; --i) {
      if (fib[static_cast<size_t>(i)] <= n) {
        n -= fib[static_cast<size_t>(i)];
        code[static_cast<size_t>(i)] = true;
        highest = std::max(highest, i);
      }
    }
    for (int i = 0; i <= highest; ++i) bits_.push_back(code[static_cast<size_t>(i)]);
    bits_.push_back(true);
  }
  // Zero bits to a whole number of bytes, then base64url without padding (6 bits per character,
  // zero bits filling the last one).
  std::string Base64Url() const {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const size_t total = (bits_.size() + 7) / 8 * 8;
    std::string out;
    for (size_t i = 0; i < total; i += 6) {
      int v = 0;
      for (size_t j = 0; j < 6; ++j) v = v << 1 | (i + j < bits_.size() && bits_[i + j] ? 1 : 0);
      out += kAlphabet[v];
    }
    return out;
  }

 private:
  std::vector<bool> bits_;
};

constexpr int kUsCaSectionId = 8;

}  // namespace

std::string EncodeUsCa(const UsCaFields& f) {
  Bits core;
  core.Int(f.version, 6);
  core.Int(f.sale_opt_out_notice, 2);
  core.Int(f.sharing_opt_out_notice, 2);
  core.Int(f.sensitive_data_limit_use_notice, 2);
  core.Int(f.sale_opt_out, 2);
  core.Int(f.sharing_opt_out, 2);
  for (int v : f.sensitive_data_processing) core.Int(v, 2);
  for (int v : f.known_child_sensitive_data_consents) core.Int(v, 2);
  core.Int(f.personal_data_consents, 2);
  core.Int(f.mspa_covered_transaction, 2);
  core.Int(f.mspa_opt_out_option_mode, 2);
  core.Int(f.mspa_service_provider_mode, 2);
  Bits gpc;
  gpc.Int(1, 2);  // sub-section type: GPC
  gpc.Bool(f.gpc);
  return core.Base64Url() + "." + gpc.Base64Url();
}

std::string EncodeGppHeader(const std::vector<int>& ids) {
  Bits b;
  b.Int(3, 6);  // type: header
  b.Int(1, 6);  // version
  // Section ids as ranges: consecutive ids share one range entry.
  std::vector<std::pair<int, int>> ranges;
  for (int id : ids) {
    if (!ranges.empty() && ranges.back().second + 1 == id) ranges.back().second = id;
    else ranges.emplace_back(id, id);
  }
  b.Int(static_cast<int>(ranges.size()), 12);
  int last = 0;
  for (const auto& [start, end] : ranges) {
    b.Bool(start != end);
    b.Fibonacci(start - last);
    if (start != end) b.Fibonacci(end - start);
    last = end;
  }
  return b.Base64Url();
}

std::string GppString(const UsCaFields& fields) { return EncodeGppHeader({kUsCaSectionId}) + "~" + EncodeUsCa(fields); }

}  // namespace steward::consent
