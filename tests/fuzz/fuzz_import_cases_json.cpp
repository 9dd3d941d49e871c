// SPDX-License-Identifier: MIT
// The JSON case import, through the stream reader the CLI uses (read_export_json), fed in
// pieces of a size the input picks. Invariants: the pieces give what the whole text gives,
// and whatever imports, exported and imported again gives the same records, events included;
// all of it within a time limit linear in the input's size (fuzz::TimeLimit).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <istream>
#include <streambuf>

#include "casewatch/domain/interchange.hpp"
#include "fuzz_check.hpp"

namespace {

std::vector<casewatch::CaseRecordIO> without_ids(std::vector<casewatch::CaseRecordIO> cases) {
  for (auto& r : cases) {
    r.c.id = 0;
  }
  return cases;
}

// Gives a text `piece` bytes at a time.
class PieceBuf : public std::streambuf {
 public:
  PieceBuf(std::string_view text, std::size_t piece) : m_text(text), m_piece(piece) {}

 protected:
  int_type underflow() override {
    if (gptr() == egptr()) {
      if (m_at >= m_text.size()) {
        return traits_type::eof();
      }
      std::size_t n = std::min(m_piece, m_text.size() - m_at);
      char* p = m_text.data() + m_at;
      setg(p, p, p + n);
      m_at += n;
    }
    return traits_type::to_int_type(*gptr());
  }

 private:
  std::string m_text;
  std::size_t m_piece;
  std::size_t m_at = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace casewatch;
  const Date today = make_date(2026, 11, 28);
  const std::string_view text = fuzz::as_text(data, size);
  const fuzz::TimeLimit limit(size);
  PieceBuf pieces(text, size == 0 ? 1 : 1 + data[0] % 13);
  std::istream in(&pieces);
  auto streamed = read_export_json(in, today);
  auto first = import_cases_json(text, today);
  FUZZ_CHECK(streamed.has_value() == first.has_value());
  if (!first) {
    FUZZ_CHECK(!first.error().empty());
    FUZZ_CHECK(streamed.error() == first.error());
    FUZZ_CHECK(limit.within_time_limit());
    return 0;
  }
  FUZZ_CHECK(export_json(without_ids(streamed->cases)) == export_json(without_ids(*first)));
  std::string json = export_json(without_ids(*first));
  auto again = import_cases_json(json, today);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(again->size() == first->size());
  FUZZ_CHECK(export_json(without_ids(*again)) == json);
  FUZZ_CHECK(limit.within_time_limit());
  return 0;
}
