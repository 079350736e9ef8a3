// The scanner's engine for the fuzz targets that read files: built once, its compiled rules cached
// under $TMPDIR (or /tmp); a build that fails stops the run.
#pragma once

#include <cstdlib>
#include <memory>
#include <string>

#include "scan/scan.h"

inline const steward::scan::Engine& FuzzEngine() {
  static std::shared_ptr<const steward::scan::Engine> engine = [] {
    const char* tmp = std::getenv("TMPDIR");
    auto built = steward::scan::Engine::Build({.cache_dir = std::string(tmp ? tmp : "/tmp") + "/steward-scan-cache"});
    if (!built) __builtin_trap();
    return *built;
  }();
  return *engine;
}
