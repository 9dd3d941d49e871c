// SPDX-License-Identifier: MIT
// The release list of the processing-times dataset (`times fetch` without --url): which file
// of the latest release to download, and the file name a URL gives.
#pragma once

#include <string>

namespace casewatch::net {

// The dataset file of a release.
struct DatasetAsset {
  std::string url;      // its download URL
  std::string name;     // "uscis-2026-11-15.db"
  std::string release;  // the release's tag, "" when it has none
};

// The first *.db asset (not responses.db) of the latest release in a release list: the
// latest release object, or a list whose first published (not draft, not prerelease)
// release is taken. Throws NetError naming `host` when the list is not JSON, is nested too
// deep, names no release or its release has no such file.
DatasetAsset pick_dataset_asset(const std::string& body, const std::string& host);

// The last segment of a URL's path, without query or fragment ("uscis-2026-11-15.db"); or
// "download" when that is empty, not plain text or longer than 100 bytes.
std::string file_name_of(const std::string& url);

}  // namespace casewatch::net
