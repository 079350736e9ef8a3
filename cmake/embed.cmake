# Writes a C++ source defining `std::string_view steward::embedded::SYMBOL()` with IN's bytes.
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR size "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE "${OUT}" "// Generated from ${IN}; do not edit.\n#include <string_view>\nnamespace steward::embedded {\nstatic const unsigned char k${SYMBOL}[] = {${bytes} 0x00};\nstd::string_view ${SYMBOL}() { return {reinterpret_cast<const char*>(k${SYMBOL}), ${size}}; }\n}  // namespace steward::embedded\n")
