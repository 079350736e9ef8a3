// A token-bucket rate limiter per client key (the client's address). Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace steward::http {

class RateLimiter {
 public:
  // `per_minute` tokens a minute refill each bucket, which holds at most `burst`. per_minute
  // <= 0 disables limiting.
  RateLimiter(double per_minute, double burst) : per_ms_(per_minute / 60'000.0), burst_(burst) {}

  // Takes a token for `key` at `now_ms`; false when the bucket is empty.
  bool Allow(const std::string& key, int64_t now_ms) {
    if (per_ms_ <= 0) return true;
    std::lock_guard lock(mu_);
    if (buckets_.size() > 100'000) Prune(now_ms);
    auto [it, inserted] = buckets_.try_emplace(key, Bucket{burst_, now_ms});
    Bucket& b = it->second;
    if (!inserted) {
      b.tokens = std::min(burst_, b.tokens + static_cast<double>(now_ms - b.at_ms) * per_ms_);
      b.at_ms = now_ms;
    }
    if (b.tokens < 1.0) return false;
    b.tokens -= 1.0;
    return true;
  }

 private:
  struct Bucket {
    double tokens;
    int64_t at_ms;
  };
  // Drops buckets that have refilled completely: they hold no information.
  void Prune(int64_t now_ms) {
    for (auto it = buckets_.begin(); it != buckets_.end();) {
      if (it->second.tokens + static_cast<double>(now_ms - it->second.at_ms) * per_ms_ >= burst_) {
        it = buckets_.erase(it);
      } else {
        ++it;
      }
    }
  }
  std::mutex mu_;
  double per_ms_;
  double burst_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace steward::http
