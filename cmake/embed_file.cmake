# Script mode: writes OUT, a C++ source that holds the bytes of IN as `SYMBOL()`.
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
string(REGEX REPLACE "(('\\\\x[0-9a-f][0-9a-f]',){32})" "\\1\n" bytes "${bytes}")
file(WRITE "${OUT}" "// Generated from ${IN} at build time. Do not edit.\n"
  "#include <string_view>\n"
  "namespace casewatch::embedded {\n"
  "namespace {\nconstexpr char k_bytes[] = {\n${bytes}'\\0'};\n}  // namespace\n"
  "std::string_view ${SYMBOL}() { return {k_bytes, ${size}}; }\n"
  "}  // namespace casewatch::embedded\n")
