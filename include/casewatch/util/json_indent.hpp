// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace casewatch {

// Re-indents compact JSON text (as the JSON library dumps it: no whitespace outside strings)
// into the library's two-space layout, as a stream: the text may come in pieces of any size,
// and only the current line's indentation is kept. The output is byte for byte what
// `json::parse(text).dump(2)` gives, with every line after the first indented by 2 * `depth`
// more spaces (the value sits at that depth of an enclosing document). Strings and numbers
// are copied as they are. Used to export a journal entry of any size (issue #14).
class JsonIndenter {
 public:
  using Sink = std::function<void(std::string_view)>;
  JsonIndenter(std::size_t depth, Sink put);

  void feed(std::string_view piece);
  // True when the text fed was one whole value: brackets balanced, no string left open.
  [[nodiscard]] bool finish();

 private:
  void newline(std::size_t level);
  void flush();

  Sink m_put;
  std::size_t m_base;
  std::size_t m_level = 0;  // brackets open
  bool m_in_string = false;
  bool m_escape = false;
  bool m_balanced = true;      // no closing bracket without its opening one
  char m_pending_open = '\0';  // an opening bracket whose next byte decides "{}" or a newline
  std::string m_out;           // written out in pieces of about 64 KiB
};

}  // namespace casewatch
