// SPDX-License-Identifier: MIT
#include "casewatch/net/release_list.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "casewatch/net/http.hpp"
#include "casewatch/util/json_limits.hpp"
#include "casewatch/util/text.hpp"

namespace casewatch::net {

// The last segment of a URL's path, without query or fragment: "uscis-2026-11-15.db".
std::string file_name_of(const std::string& url) {
  std::string path = url.substr(0, url.find_first_of("?#"));
  std::string name = path.substr(path.find_last_of('/') + 1);
  auto scheme = path.find("://");
  if (scheme != std::string::npos && path.find('/', scheme + 3) == std::string::npos) {
    name.clear();  // no path at all: the host is no file name
  }
  if (name.empty() || text::problem(name) || name.size() > 100) {
    return "download";
  }
  return name;
}

DatasetAsset pick_dataset_asset(const std::string& body, const std::string& host) {
  if (auto deep = json_limits::depth_problem(body)) {
    throw NetError(fmt::format("the release list from {} is not usable: {}", host, *deep));
  }
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !(j.is_object() || j.is_array())) {
    throw NetError(fmt::format("the release list from {} is not JSON", host));
  }
  const nlohmann::json* release = nullptr;
  if (j.is_array()) {
    for (const auto& r : j) {
      if (r.is_object() && !r.value("draft", false) && !r.value("prerelease", false)) {
        release = &r;
        break;
      }
    }
  } else {
    release = &j;
  }
  if (release == nullptr) {
    throw NetError(fmt::format("the release list from {} names no release", host));
  }
  std::string tag;
  if (release->contains("tag_name") && (*release)["tag_name"].is_string()) {
    tag = (*release)["tag_name"].get<std::string>();
  }
  if (release->contains("assets") && (*release)["assets"].is_array()) {
    for (const auto& a : (*release)["assets"]) {
      if (!a.is_object() || !a.contains("name") || !a["name"].is_string() ||
          !a.contains("browser_download_url") || !a["browser_download_url"].is_string()) {
        continue;
      }
      std::string name = a["name"].get<std::string>();
      if (name.ends_with(".db") && name != "responses.db") {
        return {a["browser_download_url"].get<std::string>(), name, tag};
      }
    }
  }
  throw NetError(fmt::format("the latest release{} listed by {} has no .db file",
                             tag.empty() ? "" : " (" + text::shorten(tag) + ")", host));
}

}  // namespace casewatch::net
