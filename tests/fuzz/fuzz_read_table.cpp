// SPDX-License-Identifier: MIT
// Another SQLite file's table, as `times import`, `times fetch` and `bulletin import` read
// it: the input is written to a file and read as the processing-time and the bulletin
// table. Invariants: the read ends (the time and size limits hold) with the rows, the first
// being the header, or with a StorageError that says what was wrong.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

#include "casewatch/store/store.hpp"
#include "fuzz_check.hpp"

namespace {

std::filesystem::path scratch_file() {
  static const std::filesystem::path path = [] {
    std::string p = (std::filesystem::temp_directory_path() / "casewatch-fuzz-XXXXXX").string();
    int fd = ::mkstemp(p.data());
    FUZZ_CHECK(fd >= 0);
    ::close(fd);
    return std::filesystem::path(p);
  }();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace casewatch;
  const std::filesystem::path file = scratch_file();
  {
    std::FILE* f = std::fopen(file.c_str(), "wb");
    FUZZ_CHECK(f != nullptr);
    FUZZ_CHECK(size == 0 || std::fwrite(data, 1, size, f) == size);
    std::fclose(f);
  }
  for (bool bulletin : {false, true}) {
    try {
      auto rows = bulletin ? store::read_visa_bulletin_table(file)
                           : store::read_processing_time_table(file);
      FUZZ_CHECK(!rows.empty());
      FUZZ_CHECK(rows.front().line == 1);
    } catch (const store::StorageError& e) {
      FUZZ_CHECK(std::string(e.what()).starts_with("cannot read the table "));
    }
  }
  return 0;
}
