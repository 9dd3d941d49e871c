// SPDX-License-Identifier: MIT
// The parsers' benchmark (bench/parsers): writes inputs of a given size, and reads one with
// the status parser or the JSON import, saying the time, the peak memory and the outcome.
//
//   casewatch_bench_parsers generate SHAPE BYTES FILE
//   casewatch_bench_parsers read status|import FILE
//
// Shapes: status-answers (an array of Case Status API answers with a history of 50
// statuses, each about 6 KB), status-huge (one answer padded with BYTES of empty objects),
// status-amp (copied text of '&' with no ';'), import-cases (an export of realistic cases
// with three events each), import-unknown (an export whose unknown top-level field holds
// BYTES of empty objects), import-events (one case with events up to BYTES).
#include <fmt/format.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "casewatch/domain/interchange.hpp"
#include "casewatch/domain/status.hpp"

namespace {

using namespace casewatch;

std::string answer(std::size_t i) {
  std::string history;
  for (int h = 0; h < 50; ++h) {
    history += fmt::format(
        R"({}{{"date": "0{}-1{}-2025 10:0{}:00", "completed_text_en": "Case Was Received", )"
        R"("completed_text_es": "Caso Fue Recibido"}})",
        h == 0 ? "" : ", ", 1 + h % 9, h % 3, h);
  }
  return fmt::format(
      R"({{"case_status": {{"receiptNumber": "IOE{:010}", "formType": "I-485", )"
      R"("submittedDate": "01-10-2025 09:00:00", "modifiedDate": "05-01-2026 14:03:00", )"
      R"("current_case_status_text_en": "Case Was Approved", "current_case_status_desc_en": )"
      R"("On May 1, 2026, we approved your Form I-485, Application to Register Permanent )"
      R"(Residence or Adjust Status, Receipt Number IOE{:010}. We will mail your approval )"
      R"(notice. Please follow the instructions in the notice. If you move, go to )"
      R"(www.uscis.gov/addresschange to give us your new mailing address.", )"
      R"("current_case_status_text_es": "Caso Fue Aprobado", "current_case_status_desc_es": )"
      R"("El 1 de mayo de 2026 aprobamos su caso.", "hist_case_status": [{}]}}, )"
      R"("message": "Successful retrieval"}})",
      912345678 + i, 912345678 + i, history);
}

std::string export_case(std::size_t i) {
  return fmt::format(
      R"({{"id": {}, "receipt": "IOE{:010}", "form": "I-485", "category": "131A-FAM", )"
      R"("office": "QNS", "received": "2024-05-02", "sent": null, "priority_date": null, )"
      R"("premium_start": null, "label": "Client {}", "note": "a note, \"quoted\"", )"
      R"("status": "pending", "preference": null, "chargeability": null, "path": null, )"
      R"("events": [{{"n": 1, "kind": "biometrics", "date": "2024-06-10", "due": null, )"
      R"("ref": null, "office": null, "note": null}}, {{"n": 2, "kind": "rfe", "date": )"
      R"("2025-01-10", "due": "2025-04-04", "ref": null, "office": null, "note": null}}, )"
      R"({{"n": 3, "kind": "response", "date": "2025-03-01", "due": null, "ref": null, )"
      R"("office": null, "note": "sent by courier"}}]}})",
      i + 1, 912345678 + i, i + 1);
}

constexpr std::string_view k_head = R"({"format": "casewatch-export", "version": 1, )";

std::string generate(std::string_view shape, std::size_t bytes) {
  std::string out;
  out.reserve(bytes + 4096);
  if (shape == "status-answers") {
    out = "[";
    for (std::size_t i = 0; out.size() < bytes; ++i) {
      out += (i == 0 ? "" : ",\n") + answer(i);
    }
    out += "]\n";
  } else if (shape == "status-huge") {
    out = R"({"case_status": {"receiptNumber": "IOE0912345678", "current_case_status_text_en": )"
          R"("Case Was Approved", "padding": [{})";
    while (out.size() < bytes) {
      out += ",{}";
    }
    out += "]}}\n";
  } else if (shape == "status-amp") {
    out = "Case Was Approved\n\n";
    while (out.size() < bytes) {
      out += std::string(99, '&') + '\n';
    }
  } else if (shape == "import-cases") {
    out = std::string(k_head) + R"("cases": [)";
    for (std::size_t i = 0; out.size() < bytes; ++i) {
      out += (i == 0 ? "\n" : ",\n") + export_case(i);
    }
    out += "]}\n";
  } else if (shape == "import-unknown") {
    out = std::string(k_head) + R"("extra": [{})";
    while (out.size() < bytes) {
      out += ",{}";
    }
    out += "], \"cases\": [" + export_case(0) + "]}\n";
  } else if (shape == "import-events") {
    out = std::string(k_head) +
          R"("cases": [{"receipt": "IOE0912345678", "form": "I-485", "received": "2020-01-02", )"
          R"("events": [)";
    for (std::size_t n = 1; out.size() < bytes; ++n) {
      out += fmt::format(R"({}{{"n": {}, "kind": "note", "date": "2021-01-01", "note": "{}"}})",
                         n == 1 ? "" : ",", n, n);
    }
    out += "]}]}\n";
  } else {
    std::fprintf(stderr, "unknown shape %.*s\n", static_cast<int>(shape.size()), shape.data());
    std::exit(2);
  }
  return out;
}

std::string read_all(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 5 && std::string_view(argv[1]) == "generate") {
    std::ofstream(argv[4], std::ios::binary) << generate(argv[2], std::stoul(argv[3]));
    return 0;
  }
  if (argc != 4 || std::string_view(argv[1]) != "read") {
    std::fprintf(stderr, "usage: %s generate SHAPE BYTES FILE | read status|import FILE\n",
                 argv[0]);
    return 2;
  }
  std::string_view what = argv[2];
  std::string outcome;
  auto start = std::chrono::steady_clock::now();
  if (what == "status") {
    // As status import reads a file: whole, then parsed.
    std::string text = read_all(argv[3]);
    auto parsed = status::parse_document(text);
    outcome = parsed ? fmt::format("{} snapshots", parsed->size())
                     : "refused: " + parsed.error().substr(0, 70);
  } else {
    // As import reads a file: a stream.
    std::ifstream in(argv[3], std::ios::binary);
    auto read = read_export_json(in, make_date(2026, 11, 28));
    std::size_t events = 0;
    if (read) {
      for (const auto& r : read->cases) {
        events += r.events.size();
      }
    }
    outcome = read ? fmt::format("{} cases, {} events", read->cases.size(), events)
                   : "refused: " + read.error().substr(0, 70);
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  start)
                .count();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("%lld %.1f %s\n", static_cast<long long>(ms),
              static_cast<double>(usage.ru_maxrss) / 1024.0, outcome.c_str());
  return 0;
}
